#include "plugins/agent/command/command_worker.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins {

namespace {

using nlohmann::json;

class RunCall final : public AgentCall {
 public:
  explicit RunCall(std::weak_ptr<CommandRun> run) : run_(std::move(run)) {}
  void cancel() noexcept override {
    if (auto run = run_.lock()) run->cancel();
  }

 private:
  std::weak_ptr<CommandRun> run_;
};

}  // namespace

// The persistent process: requests go out one JSON line at a time; each stdout line
// answers the oldest request still waiting.
struct CommandWorker::Channel final : ProcessObserver {
  struct Pending {
    std::uint64_t id = 0;
    std::string line;
    std::shared_ptr<AgentCallback> callback;
  };

  explicit Channel(const CommandOptions& o) : options(o) {}

  const CommandOptions options;
  std::mutex mu;
  std::unique_ptr<Process> process;
  std::deque<Pending> queue;  // front: written and waiting for its line
  bool front_written = false;
  bool ended = false;
  bool crashed = false;  // ended without being asked to
  bool stopping = false;
  std::string ended_why;
  std::string stderr_tail;
  double cpu_at_front = 0.0;
  std::uint64_t next_id = 1;

  void writeFront(std::unique_lock<std::mutex>&) {
    if (queue.empty() || front_written || !process) return;
    front_written = true;
    cpu_at_front = process->stats().cpu_ms;
    if (!process->writeStdin(queue.front().line)) {
      // stdin is gone: the process is ending; onExit fails the queue.
    }
  }

  std::uint64_t enqueue(std::string line, std::shared_ptr<AgentCallback> callback) {
    std::unique_lock lock(mu);
    std::uint64_t id = next_id++;
    queue.push_back({id, std::move(line), std::move(callback)});
    writeFront(lock);
    return id;
  }

  // Cancels one request: a waiting one is dropped; the one the process is working on
  // stops the process (a new one starts for the next request).
  void cancel(std::uint64_t id) {
    std::unique_lock lock(mu);
    for (auto it = queue.begin(); it != queue.end(); ++it) {
      if (it->id != id) continue;
      if (it == queue.begin() && front_written) {
        stopping = true;
        if (process) process->terminate(options.kill_grace_ms);
        return;  // onExit answers it as cancelled
      }
      std::shared_ptr<AgentCallback> callback = std::move(it->callback);
      queue.erase(it);
      lock.unlock();
      AgentReply reply;
      reply.status = Status::cancelled("the request was cancelled before the process took it");
      callback->onDone(std::move(reply));
      return;
    }
  }

  void onStdoutLine(std::string_view line) noexcept override {
    std::unique_lock lock(mu);
    if (queue.empty() || !front_written) return;  // unrequested output: ignored
    Pending done = std::move(queue.front());
    queue.pop_front();
    front_written = false;
    AgentReply reply;
    Result<ParsedReply> parsed = parseCommandOutput(line, options.output);
    if (parsed.ok()) {
      reply.output_json = std::move(parsed->output_json);
      reply.usage = parsed->usage;
      if (reply.usage.turns == 0) reply.usage.turns = 1;
    } else {
      reply.status = parsed.status();
    }
    if (process) {
      ProcessStats stats = process->stats();
      reply.usage.cpu_ms = std::max(0.0, stats.cpu_ms - cpu_at_front);
      reply.usage.peak_rss_kb = stats.peak_rss_kb;
    }
    writeFront(lock);
    lock.unlock();
    done.callback->onUsage(reply.usage);
    done.callback->onDone(std::move(reply));
  }

  void onStderr(std::string_view chunk) noexcept override {
    std::lock_guard lock(mu);
    stderr_tail.append(chunk);
    if (stderr_tail.size() > 8192) stderr_tail.erase(0, stderr_tail.size() - 4096);
  }

  void onExit(const ProcessExit& exit, const ProcessStats&) noexcept override {
    std::unique_lock lock(mu);
    ended = true;
    crashed = !stopping;
    std::string err = tailOf(stderr_tail);
    ended_why = "the persistent command process " + exit.describe() +
                (err.empty() ? "" : "; stderr: " + err);
    std::deque<Pending> failed = std::move(queue);
    queue.clear();
    bool was_stopping = stopping;
    lock.unlock();
    bool first = true;
    for (Pending& p : failed) {
      AgentReply reply;
      if (was_stopping && first) {
        reply.status = Status::cancelled("the request was cancelled; its process was stopped");
      } else {
        reply.status = Status::unavailable(ended_why + "; the host restarts the agent");
      }
      first = false;
      p.callback->onDone(std::move(reply));
    }
  }

  // The worker is going away.
  void shutdown() {
    std::unique_lock lock(mu);
    stopping = true;
    std::unique_ptr<Process> gone = std::move(process);
    lock.unlock();
    gone.reset();  // kills the group and waits out any callback in progress
    lock.lock();
    std::deque<Pending> left = std::move(queue);
    queue.clear();
    lock.unlock();
    for (Pending& p : left) {
      AgentReply reply;
      reply.status = Status::cancelled("the agent was stopped");
      p.callback->onDone(std::move(reply));
    }
  }
};

namespace {

class ChannelCall final : public AgentCall {
 public:
  ChannelCall(std::weak_ptr<CommandWorker::Channel> channel, std::uint64_t id)
      : channel_(std::move(channel)), id_(id) {}
  void cancel() noexcept override {
    try {
      if (auto channel = channel_.lock()) channel->cancel(id_);
    } catch (...) {
    }
  }

 private:
  std::weak_ptr<CommandWorker::Channel> channel_;
  std::uint64_t id_;
};

Result<std::shared_ptr<CommandWorker::Channel>> startChannel(Host* host, const std::string& owner,
                                                             const CommandOptions& options) {
  auto channel = std::make_shared<CommandWorker::Channel>(options);
  Result<std::unique_ptr<Process>> process = host->spawn(options.processSpec(owner), channel);
  if (!process.ok()) return process.status();
  std::lock_guard lock(channel->mu);
  if (!channel->ended) channel->process = std::move(*process);
  return channel;
}

}  // namespace

CommandWorker::CommandWorker(Host* host, std::string agent_id, CommandOptions options)
    : host_(host), agent_id_(std::move(agent_id)), options_(std::move(options)) {}

Result<std::unique_ptr<CommandWorker>> CommandWorker::create(Host* host, const AgentSpec& spec,
                                                             CommandOptions options) {
  std::unique_ptr<CommandWorker> worker(new CommandWorker(host, spec.id, std::move(options)));
  if (worker->options_.mode == CommandOptions::Mode::kPersistent) {
    Result<std::shared_ptr<Channel>> channel =
        startChannel(host, worker->agent_id_, worker->options_);
    if (!channel.ok()) return channel.status().withContext("cannot start the agent's process");
    worker->channel_ = std::move(*channel);
  }
  return worker;
}

CommandWorker::~CommandWorker() {
  std::set<std::shared_ptr<CommandRun>> runs;
  std::shared_ptr<Channel> channel;
  {
    std::lock_guard lock(mu_);
    runs = runs_;
    channel = channel_;
  }
  for (const auto& run : runs) run->abandon();
  if (channel) channel->shutdown();
}

Result<std::unique_ptr<AgentCall>> CommandWorker::call(const AgentRequest& request,
                                                       std::shared_ptr<AgentCallback> callback) {
  try {
    return callOnce(request, std::move(callback));
  } catch (const std::exception& e) {
    return Status::internal(std::string("command agent: ") + e.what());
  }
}

Result<std::unique_ptr<AgentCall>> CommandWorker::callOnce(
    const AgentRequest& request, std::shared_ptr<AgentCallback> callback) {
  if (options_.mode == CommandOptions::Mode::kPersistent) {
    std::shared_ptr<Channel> channel;
    {
      std::lock_guard lock(mu_);
      channel = channel_;
    }
    {
      std::lock_guard lock(channel->mu);
      if (channel->ended && channel->crashed) return Status::unavailable(channel->ended_why);
    }
    bool restart = false;
    {
      std::lock_guard lock(channel->mu);
      restart = channel->ended;  // stopped by a cancel: start a fresh one
    }
    if (restart) {
      Result<std::shared_ptr<Channel>> fresh = startChannel(host_, agent_id_, options_);
      if (!fresh.ok()) return fresh.status();
      std::lock_guard lock(mu_);
      channel_ = *fresh;
      channel = *fresh;
    }
    json line = {{"request_id", request.request_id}, {"session_id", request.session_id}};
    json input = json::parse(request.input_json, nullptr, false);
    line["input"] = input.is_discarded() ? json(request.input_json) : input;
    std::uint64_t id = channel->enqueue(line.dump() + "\n", std::move(callback));
    return std::unique_ptr<AgentCall>(std::make_unique<ChannelCall>(channel, id));
  }

  auto run = std::make_shared<CommandRun>(options_, callback, [this](const CommandRun* ended) {
    std::lock_guard lock(mu_);
    for (auto it = runs_.begin(); it != runs_.end(); ++it) {
      if (it->get() == ended) {
        runs_.erase(it);
        break;
      }
    }
  });
  {
    std::lock_guard lock(mu_);
    runs_.insert(run);
  }
  Result<std::unique_ptr<Process>> process = host_->spawn(options_.processSpec(agent_id_), run);
  if (!process.ok()) {
    std::lock_guard lock(mu_);
    runs_.erase(run);
    return process.status().withContext("cannot start " + options_.argv[0]);
  }
  run->attach(std::move(*process), options_.stdinFor(request.input_json));
  return std::unique_ptr<AgentCall>(std::make_unique<RunCall>(run));
}

}  // namespace switchboard::plugins
