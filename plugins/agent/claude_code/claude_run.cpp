#include "plugins/agent/claude_code/claude_run.hpp"

namespace switchboard::plugins {
namespace {
constexpr std::size_t kStderrKeep = 16384;
}

ClaudeRun::ClaudeRun(AgentRequest request, std::shared_ptr<AgentCallback> callback,
                     std::int64_t timeout_ms, std::int64_t kill_grace_ms, OnEnd on_end)
    : request_(std::move(request)),
      timeout_ms_(timeout_ms),
      kill_grace_ms_(kill_grace_ms),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms)),
      callback_(std::move(callback)),
      on_end_(std::move(on_end)) {}

void ClaudeRun::armDeadline(const std::shared_ptr<DeadlineTimer>& timer) {
  std::weak_ptr<ClaudeRun> self = weak_from_this();
  DeadlineTimer::Id id = timer->schedule(deadline_, [self] {
    if (auto run = self.lock()) run->onDeadline();
  });
  std::lock_guard lock(mu_);
  timer_ = timer;
  timer_id_ = id;
}

Status ClaudeRun::start(Host* host, const ClaudeOptions& options,
                        const std::string& remembered_session, const std::string& owner) {
  ClaudeInvocation invocation;
  {
    std::lock_guard lock(mu_);
    if (!callback_) return {};  // cancelled or timed out while queued: already answered
    Result<ClaudeInvocation> made = options.invocation(request_, remembered_session);
    if (!made.ok()) return made.status();
    invocation = *made;
    invocation.timeout_ms = timeout_ms_;
    invocation_ = invocation;
    started_ = true;
  }
  host->log(LogLevel::kDebug, "claude_code: agent " + owner + " runs " + invocation.argv[0] +
                                  (invocation.resumed_session.empty()
                                       ? std::string(" (new session)")
                                       : " (resuming " + invocation.resumed_session + ")"));
  Result<std::unique_ptr<Process>> process =
      host->spawn(options.processSpec(invocation.argv, owner), shared_from_this());
  if (!process.ok()) {
    std::lock_guard lock(mu_);
    callback_.reset();  // the caller reports the error; no onDone from here
    on_end_ = nullptr;
    if (auto timer = timer_.lock()) timer->cancel(timer_id_);
    Status s = process.status();
    if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kPermissionDenied) {
      return Status(
          s.code(),
          "cannot run Claude Code (\"" + invocation.argv[0] + "\"): " + s.message() +
              "; install it (npm install -g @anthropic-ai/claude-code) or set claude_path");
    }
    return s.withContext("cannot start claude");
  }
  std::unique_ptr<Process> late;  // destroyed outside the lock
  std::unique_lock lock(mu_);
  if (!callback_) {
    late = std::move(*process);  // it already ended (onExit ran): nothing left to hold
  } else {
    process_ = std::move(*process);
    if (stopped_by_ != RunEnd::StoppedBy::kNothing) process_->terminate(kill_grace_ms_);
  }
  lock.unlock();
  return {};
}

void ClaudeRun::startOrFail(Host* host, const ClaudeOptions& options,
                            const std::string& remembered_session, const std::string& owner) {
  std::shared_ptr<AgentCallback> callback;
  OnEnd on_end;
  {
    std::lock_guard lock(mu_);
    callback = callback_;
    on_end = on_end_;
  }
  Status status = start(host, options, remembered_session, owner);
  if (status.ok() || !callback) return;
  if (on_end) on_end(this, "", false);
  AgentReply reply;
  reply.status = status;
  callback->onDone(std::move(reply));
}

void ClaudeRun::cancel() noexcept { stop(RunEnd::StoppedBy::kCancel); }

void ClaudeRun::onDeadline() noexcept { stop(RunEnd::StoppedBy::kTimeout); }

void ClaudeRun::stop(RunEnd::StoppedBy why) noexcept {
  std::unique_lock lock(mu_);
  if (!callback_ || stopped_by_ != RunEnd::StoppedBy::kNothing) return;
  stopped_by_ = why;
  if (process_) {
    process_->terminate(kill_grace_ms_);  // onExit replies
    return;
  }
  if (started_) return;  // spawning now: start() terminates it once it holds the process
  AgentReply reply;
  if (why == RunEnd::StoppedBy::kCancel) {
    reply.status = Status::cancelled("the request was cancelled before claude started");
  } else {
    reply.status = Status::deadlineExceeded("the request waited " + std::to_string(timeout_ms_) +
                                            " ms for the agent and never started");
  }
  finish(std::move(reply), "", false, lock);
}

void ClaudeRun::abandon() noexcept {
  std::unique_lock lock(mu_);
  std::unique_ptr<Process> process = std::move(process_);
  if (stopped_by_ == RunEnd::StoppedBy::kNothing) stopped_by_ = RunEnd::StoppedBy::kCancel;
  lock.unlock();
  process.reset();  // kills the group; no callback runs after this
  lock.lock();
  AgentReply reply;
  reply.status = Status::cancelled("the agent was stopped while claude ran");
  reply.usage = parser_.usage();
  finish(std::move(reply), "", false, lock);
}

void ClaudeRun::onStdoutLine(std::string_view line) noexcept {
  std::shared_ptr<AgentCallback> callback;
  StreamJsonParser::Update update;
  Usage usage;
  {
    std::lock_guard lock(mu_);
    if (!callback_) return;
    try {
      update = parser_.feed(line);
    } catch (...) {
      return;  // the parser does not throw; an allocation failure drops the line
    }
    usage = parser_.usage();
    callback = callback_;
  }
  if (!update.progress.empty()) callback->onProgress(update.progress);
  if (update.usage_changed) callback->onUsage(usage);
}

void ClaudeRun::onStderr(std::string_view chunk) noexcept {
  std::lock_guard lock(mu_);
  try {
    stderr_.append(chunk);
    if (stderr_.size() > 2 * kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
  } catch (...) {
  }
}

void ClaudeRun::onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept {
  std::unique_lock lock(mu_);
  // Released here, inside the callback: see the ownership note in the header.
  std::unique_ptr<Process> process = std::move(process_);
  if (!callback_) {
    lock.unlock();
    return;
  }
  AgentReply reply;
  std::string remember;
  bool forget = false;
  try {
    RunEnd end;
    end.stopped_by = stopped_by_;
    end.timeout_ms = timeout_ms_;
    end.max_turns = invocation_.max_turns;
    end.max_budget_usd = invocation_.max_budget_usd;
    end.exit = exit;
    end.stats = stats;
    end.stderr_text = stderr_;
    reply = makeClaudeReply(parser_, end);
    if (parser_.result()) remember = parser_.sessionId();
    forget = reply.status.code() == StatusCode::kNotFound && !invocation_.resumed_session.empty();
  } catch (...) {
    reply = AgentReply{};
    reply.status = Status::internal("claude_code: could not build the reply");
  }
  finish(std::move(reply), std::move(remember), forget, lock);
  process.reset();
}

void ClaudeRun::finish(AgentReply reply, std::string remember, bool forget,
                       std::unique_lock<std::mutex>& lock) noexcept {
  std::shared_ptr<AgentCallback> callback = std::move(callback_);
  callback_.reset();
  OnEnd on_end = std::move(on_end_);
  on_end_ = nullptr;
  std::shared_ptr<DeadlineTimer> timer = timer_.lock();
  DeadlineTimer::Id timer_id = timer_id_;
  lock.unlock();
  if (!callback) return;
  if (timer) timer->cancel(timer_id);
  try {
    if (on_end) on_end(this, remember, forget);
  } catch (...) {
  }
  callback->onUsage(reply.usage);
  callback->onDone(std::move(reply));
}

}  // namespace switchboard::plugins
