#include "plugins/agent/command/command_run.hpp"

namespace switchboard::plugins {
namespace {
constexpr std::size_t kStderrKeep = 8192;
}

void CommandRun::attach(std::unique_ptr<Process> process, const std::string& stdin_bytes) {
  std::unique_lock lock(mu_);
  if (exited_ || !callback_) return;  // already over: dropping the handle is enough
  if (!stdin_bytes.empty()) process->writeStdin(stdin_bytes);
  process->closeStdin();
  if (cancelled_) process->terminate(options_.kill_grace_ms);
  process_ = std::move(process);
}

void CommandRun::cancel() noexcept {
  std::lock_guard lock(mu_);
  if (!callback_) return;
  cancelled_ = true;
  if (process_) process_->terminate(options_.kill_grace_ms);
}

void CommandRun::abandon() noexcept {
  std::unique_ptr<Process> process;
  std::unique_lock lock(mu_);
  process = std::move(process_);
  lock.unlock();
  process.reset();  // kills the group; no callback runs after this
  lock.lock();
  AgentReply reply;
  reply.status = Status::cancelled("the agent was stopped while the command ran");
  finish(std::move(reply), lock);
}

void CommandRun::onStdoutLine(std::string_view line) noexcept {
  std::lock_guard lock(mu_);
  if (overflow_) return;
  if (static_cast<std::int64_t>(stdout_.size() + line.size() + 1) > options_.max_output_bytes) {
    overflow_ = true;
    if (process_) process_->kill();
    return;
  }
  stdout_.append(line);
  stdout_.push_back('\n');
}

void CommandRun::onStderr(std::string_view chunk) noexcept {
  std::lock_guard lock(mu_);
  stderr_.append(chunk);
  if (stderr_.size() > 2 * kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
}

void CommandRun::onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept {
  std::unique_lock lock(mu_);
  exited_ = true;
  AgentReply reply;
  std::string err = tailOf(stderr_);
  std::string err_note = err.empty() ? "" : "; stderr: " + err;
  if (cancelled_) {
    reply.status = Status::cancelled("the command was cancelled (" + exit.describe() + ")");
  } else if (overflow_) {
    reply.status =
        Status::resourceExhausted("the command printed more than max_output_bytes (" +
                                  std::to_string(options_.max_output_bytes) + ") and was killed");
  } else if (!exit.success()) {
    reply.status = Status::internal("the command " + exit.describe() + err_note);
  } else {
    Result<ParsedReply> parsed = parseCommandOutput(stdout_, options_.output);
    if (parsed.ok()) {
      reply.output_json = std::move(parsed->output_json);
      reply.usage = parsed->usage;
    } else {
      reply.status = parsed.status();
    }
  }
  reply.usage.cpu_ms = stats.cpu_ms;
  reply.usage.peak_rss_kb = stats.peak_rss_kb;
  if (reply.status.ok() && reply.usage.turns == 0) reply.usage.turns = 1;
  // process_ stays: abandon() destroying it waits for this callback to end.
  finish(std::move(reply), lock);
}

void CommandRun::finish(AgentReply reply, std::unique_lock<std::mutex>& lock) noexcept {
  std::shared_ptr<AgentCallback> callback = std::move(callback_);
  callback_.reset();
  OnEnd on_end = std::move(on_end_);
  on_end_ = nullptr;
  lock.unlock();
  if (!callback) return;
  if (on_end) on_end(this);
  callback->onUsage(reply.usage);
  callback->onDone(std::move(reply));
}

}  // namespace switchboard::plugins
