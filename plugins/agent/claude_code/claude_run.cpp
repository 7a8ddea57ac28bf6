#include "plugins/agent/claude_code/claude_run.hpp"

namespace switchboard::plugins {
namespace {
constexpr std::size_t kStderrKeep = 16384;
constexpr std::size_t kMaxDecisions = 200;  // tool decisions kept for the reply
}  // namespace

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

Status ClaudeRun::start(Host* host, std::shared_ptr<const ClaudeOptions> options,
                        const std::string& remembered_session, const std::string& owner,
                        bool worktree_ready) {
  std::shared_ptr<WorktreeSetup> setup;
  {
    std::lock_guard lock(mu_);
    if (!callback_) return {};  // cancelled or timed out while queued: already answered
    Result<ClaudeInvocation> made = options->invocation(request_, remembered_session);
    if (!made.ok()) return made.status();
    invocation_ = *made;
    invocation_.timeout_ms = timeout_ms_;
    host_ = host;
    options_ = options;
    owner_ = owner;
    started_ = true;
    worktree_ready_ = worktree_ready || !options->worktree;
    if (options->control_channel) channel_.emplace(options->tool_policy);
    if (!worktree_ready_) {
      std::weak_ptr<ClaudeRun> self = weak_from_this();
      setup_ = std::make_shared<WorktreeSetup>(
          host, WorktreePlan(*options->worktree), options->gitProcessSpec(owner), kill_grace_ms_,
          [self](const Status& status, const std::string& summary) {
            if (auto run = self.lock()) run->onWorktreeDone(status, summary);
          });
      setup = setup_;
    }
  }
  if (setup) {
    progress("preparing the git worktree " + options->worktree->path, LogLevel::kDebug);
    setup->start();  // onWorktreeDone() spawns claude
    return {};
  }
  Status spawned = spawnClaude();
  if (!spawned.ok()) {
    std::lock_guard lock(mu_);
    callback_.reset();  // the caller reports the error; no onDone from here
    on_end_ = nullptr;
    if (auto timer = timer_.lock()) timer->cancel(timer_id_);
  }
  return spawned;
}

void ClaudeRun::startOrFail(Host* host, std::shared_ptr<const ClaudeOptions> options,
                            const std::string& remembered_session, const std::string& owner,
                            bool worktree_ready) {
  std::shared_ptr<AgentCallback> callback;
  OnEnd on_end;
  {
    std::lock_guard lock(mu_);
    callback = callback_;
    on_end = on_end_;
  }
  Status status = start(host, std::move(options), remembered_session, owner, worktree_ready);
  if (status.ok() || !callback) return;
  if (on_end) on_end(this, RunOutcome{});
  AgentReply reply;
  reply.status = status;
  callback->onDone(std::move(reply));
}

Status ClaudeRun::spawnClaude() {
  Host* host = nullptr;
  std::shared_ptr<const ClaudeOptions> options;
  ClaudeInvocation invocation;
  std::string owner;
  {
    std::lock_guard lock(mu_);
    host = host_;
    options = options_;
    invocation = invocation_;
    owner = owner_;
  }
  host->log(
      LogLevel::kDebug,
      "claude_code: agent " + owner + " runs " + invocation.argv[0] + " in " + options->cwd() +
          (invocation.resumed_session.empty() ? std::string(" (new session)")
                                              : " (resuming " + invocation.resumed_session + ")"));
  Result<std::unique_ptr<Process>> process =
      host->spawn(options->processSpec(invocation.argv, owner), shared_from_this());
  if (!process.ok()) {
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
    if (channel_) {
      // Answers written before the handle arrived wait in pending_stdin_.
      process_->writeStdin(ControlChannel::userMessage(invocation.prompt) + pending_stdin_);
      pending_stdin_.clear();
      if (parser_.result()) process_->closeStdin();
    }
    if (stopped_by_ != RunEnd::StoppedBy::kNothing) process_->terminate(kill_grace_ms_);
  }
  lock.unlock();
  return {};
}

void ClaudeRun::onWorktreeDone(const Status& status, const std::string& summary) noexcept {
  std::unique_lock lock(mu_);
  std::shared_ptr<WorktreeSetup> setup = std::move(setup_);  // released after the reply
  if (!callback_) return;
  if (status.ok()) worktree_ready_ = true;
  const RunOutcome kept{"", false, worktree_ready_};
  if (!status.ok() || stopped_by_ != RunEnd::StoppedBy::kNothing) {
    AgentReply reply;
    if (stopped_by_ == RunEnd::StoppedBy::kCancel) {
      reply.status = Status::cancelled(
          "the request was cancelled while the agent's git worktree was being prepared");
    } else if (stopped_by_ == RunEnd::StoppedBy::kTimeout) {
      reply.status = Status::deadlineExceeded(
          "the request did not finish within " + std::to_string(timeout_ms_) +
          " ms (it was still preparing the agent's git worktree)");
    } else {
      reply.status = status.withContext("cannot prepare the agent's git worktree");
    }
    finish(std::move(reply), kept, lock);
    return;
  }
  lock.unlock();
  progress("worktree: " + summary, LogLevel::kInfo);
  Status spawned;
  try {
    spawned = spawnClaude();
  } catch (...) {
    spawned = Status::internal("claude_code: could not start claude");
  }
  if (spawned.ok()) return;
  lock.lock();
  AgentReply reply;
  reply.status = spawned;
  finish(std::move(reply), kept, lock);
}

void ClaudeRun::cancel() noexcept { stop(RunEnd::StoppedBy::kCancel); }

void ClaudeRun::onDeadline() noexcept { stop(RunEnd::StoppedBy::kTimeout); }

void ClaudeRun::stop(RunEnd::StoppedBy why) noexcept {
  std::unique_lock lock(mu_);
  if (!callback_ || stopped_by_ != RunEnd::StoppedBy::kNothing) return;
  stopped_by_ = why;
  if (setup_) {
    std::shared_ptr<WorktreeSetup> setup = setup_;
    lock.unlock();
    setup->stop();  // onWorktreeDone replies once git has ended
    return;
  }
  if (process_) {
    std::shared_ptr<DeadlineTimer> timer = timer_.lock();
    try {
      if (channel_ && !parser_.result() && timer &&
          process_->writeStdin(channel_->interruptRequest())) {
        // Polite first: the CLI ends the turn with a result line, we close stdin, it exits.
        std::weak_ptr<ClaudeRun> self = weak_from_this();
        timer->schedule(
            std::chrono::steady_clock::now() + std::chrono::milliseconds(kill_grace_ms_), [self] {
              if (auto run = self.lock()) run->killNow();
            });
        return;
      }
    } catch (...) {
    }
    process_->terminate(kill_grace_ms_);  // onExit replies
    return;
  }
  if (started_) return;  // spawning now: spawnClaude() terminates it once it holds the process
  AgentReply reply;
  if (why == RunEnd::StoppedBy::kCancel) {
    reply.status = Status::cancelled("the request was cancelled before claude started");
  } else {
    reply.status = Status::deadlineExceeded("the request waited " + std::to_string(timeout_ms_) +
                                            " ms for the agent and never started");
  }
  finish(std::move(reply), RunOutcome{}, lock);
}

void ClaudeRun::killNow() noexcept {
  {
    std::lock_guard lock(mu_);
    if (!process_ || !callback_) return;
    process_->kill();
  }
  progress("claude did not stop within " + std::to_string(kill_grace_ms_) +
               " ms of the interrupt; its process group was killed",
           LogLevel::kInfo);
}

void ClaudeRun::abandon() noexcept {
  std::unique_lock lock(mu_);
  std::unique_ptr<Process> process = std::move(process_);
  std::shared_ptr<WorktreeSetup> setup = std::move(setup_);
  if (stopped_by_ == RunEnd::StoppedBy::kNothing) stopped_by_ = RunEnd::StoppedBy::kCancel;
  lock.unlock();
  if (setup) setup->abandon();
  process.reset();  // kills the group; no callback runs after this
  lock.lock();
  AgentReply reply;
  reply.status = Status::cancelled("the agent was stopped while claude ran");
  reply.usage = parser_.usage();
  finish(std::move(reply), RunOutcome{}, lock);
}

void ClaudeRun::progress(const std::string& message, LogLevel level) noexcept {
  std::shared_ptr<AgentCallback> callback;
  Host* host = nullptr;
  std::string owner;
  {
    std::lock_guard lock(mu_);
    callback = callback_;
    host = host_;
    try {
      owner = owner_;
    } catch (...) {
    }
  }
  if (callback) callback->onProgress(message);
  if (host) {
    try {
      host->log(level, "claude_code: agent " + owner + ": " + message);
    } catch (...) {
    }
  }
}

void ClaudeRun::onStdoutLine(std::string_view line) noexcept {
  std::shared_ptr<AgentCallback> callback;
  StreamJsonParser::Update update;
  Usage usage;
  std::string decision;
  Host* host = nullptr;
  std::string owner;
  {
    std::lock_guard lock(mu_);
    if (!callback_) return;
    try {
      update = parser_.feed(line);
      if (update.control && channel_) {
        ControlChannel::Answer answer = channel_->answer(*update.control);
        if (process_) {
          process_->writeStdin(answer.line);
        } else {
          pending_stdin_ += answer.line;
        }
        if (answer.decision) {
          if (tool_decisions_.size() < kMaxDecisions) tool_decisions_.push_back(*answer.decision);
          ++decisions_seen_;
        }
        decision = std::move(answer.progress);
        host = host_;
        owner = owner_;
      }
      // One prompt, one result: closing stdin lets the CLI exit.
      if (update.result && channel_ && process_) process_->closeStdin();
    } catch (...) {
      return;  // the parser does not throw; an allocation failure drops the line
    }
    usage = parser_.usage();
    callback = callback_;
  }
  if (!decision.empty()) {
    callback->onProgress(decision);
    if (host) host->log(LogLevel::kInfo, "claude_code: agent " + owner + ": " + decision);
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
  RunOutcome outcome;
  outcome.worktree_ready = worktree_ready_;
  try {
    RunEnd end;
    end.stopped_by = stopped_by_;
    end.timeout_ms = timeout_ms_;
    end.max_turns = invocation_.max_turns;
    end.max_budget_usd = invocation_.max_budget_usd;
    end.exit = exit;
    end.stats = stats;
    end.stderr_text = stderr_;
    if (channel_) {
      end.tool_decisions = tool_decisions_;
      end.tool_decisions_seen = decisions_seen_;
    }
    if (options_ && options_->worktree) end.worktree = options_->worktree->path;
    reply = makeClaudeReply(parser_, end);
    if (parser_.result()) outcome.session = parser_.sessionId();
    outcome.forget =
        reply.status.code() == StatusCode::kNotFound && !invocation_.resumed_session.empty();
  } catch (...) {
    reply = AgentReply{};
    reply.status = Status::internal("claude_code: could not build the reply");
  }
  finish(std::move(reply), std::move(outcome), lock);
  process.reset();
}

void ClaudeRun::finish(AgentReply reply, RunOutcome outcome,
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
    if (on_end) on_end(this, outcome);
  } catch (...) {
  }
  callback->onUsage(reply.usage);
  callback->onDone(std::move(reply));
}

}  // namespace switchboard::plugins
