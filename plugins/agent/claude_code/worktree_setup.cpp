#include "plugins/agent/claude_code/worktree_setup.hpp"

#include <exception>

namespace switchboard::plugins {
namespace {
constexpr std::size_t kOutputKeep = 1 << 20;  // git's output we keep per command
}

WorktreeSetup::WorktreeSetup(Host* host, WorktreePlan plan, ProcessSpec base,
                             std::int64_t kill_grace_ms, OnDone on_done)
    : host_(host),
      base_(std::move(base)),
      kill_grace_ms_(kill_grace_ms),
      plan_(std::move(plan)),
      on_done_(std::move(on_done)) {}

void WorktreeSetup::start() {
  WorktreePlan::Step step;
  {
    std::lock_guard lock(mu_);
    step = plan_.start();
  }
  advance(std::move(step));
}

void WorktreeSetup::advance(WorktreePlan::Step step) {
  if (step.kind == WorktreePlan::Step::Kind::kReady) return done({}, step.summary);
  if (step.kind == WorktreePlan::Step::Kind::kFailed) return done(step.error, "");
  ProcessSpec spec = base_;
  spec.argv.resize(1);
  spec.argv.insert(spec.argv.end(), step.args.begin(), step.args.end());
  std::uint64_t serial = 0;
  {
    std::lock_guard lock(mu_);
    if (!on_done_) return;  // abandoned
    if (stopped_) {
      serial = 0;
    } else {
      serial = ++serial_;
      out_.clear();
      err_.clear();
    }
  }
  if (serial == 0) return done(Status::cancelled("stopped while preparing the git worktree"), "");
  Result<std::unique_ptr<Process>> process = host_->spawn(spec, shared_from_this());
  if (!process.ok()) {
    Status s = process.status();
    if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kPermissionDenied) {
      return done(Status::failedPrecondition("cannot run git (\"" + spec.argv[0] + "\"): " +
                                             s.message() + "; install git or set git_path"),
                  "");
    }
    return done(s.withContext("cannot start git"), "");
  }
  std::unique_ptr<Process> late;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  if (serial != serial_ || exited_serial_ >= serial || !on_done_) {
    // It ended already, and later steps may have started since (their process_ must not be
    // replaced by this stale handle), or we were abandoned: nothing to hold.
    late = std::move(*process);
  } else {
    process_ = std::move(*process);
    if (stopped_) process_->terminate(kill_grace_ms_);
  }
}

void WorktreeSetup::done(const Status& status, const std::string& summary) {
  OnDone on_done;
  {
    std::lock_guard lock(mu_);
    on_done = std::move(on_done_);
    on_done_ = nullptr;
  }
  if (on_done) on_done(status, summary);
}

void WorktreeSetup::stop() noexcept {
  std::lock_guard lock(mu_);
  stopped_ = true;
  if (process_) process_->terminate(kill_grace_ms_);
}

void WorktreeSetup::abandon() noexcept {
  std::unique_ptr<Process> process;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    on_done_ = nullptr;
    process = std::move(process_);
  }
  process.reset();  // kills the group; no callback runs after this
}

void WorktreeSetup::onStdoutLine(std::string_view line) noexcept {
  std::lock_guard lock(mu_);
  try {
    if (out_.size() < kOutputKeep) out_.append(line).push_back('\n');
  } catch (...) {
  }
}

void WorktreeSetup::onStderr(std::string_view chunk) noexcept {
  std::lock_guard lock(mu_);
  try {
    if (err_.size() < kOutputKeep) err_.append(chunk);
  } catch (...) {
  }
}

void WorktreeSetup::onExit(const ProcessExit& exit, const ProcessStats&) noexcept {
  std::unique_ptr<Process> process;  // released here, inside its own callback
  WorktreePlan::Step step;
  bool stopped = false;
  try {
    std::lock_guard lock(mu_);
    process = std::move(process_);
    exited_serial_ = serial_;
    if (!on_done_) return;
    stopped = stopped_;
    if (!stopped) {
      WorktreePlan::Outcome outcome;
      outcome.exit_code = exit.signal == 0 ? exit.exit_code : -1;
      outcome.out = std::move(out_);
      outcome.err = std::move(err_);
      step = plan_.next(outcome);
    }
  } catch (const std::exception& e) {
    step = WorktreePlan::Step{};
    step.error = Status::internal(std::string("preparing the git worktree: ") + e.what());
  }
  try {
    if (stopped) {
      done(Status::cancelled("stopped while git ran (" + exit.describe() + ")"), "");
    } else {
      advance(std::move(step));
    }
  } catch (const std::exception& e) {
    done(Status::internal(std::string("preparing the git worktree: ") + e.what()), "");
  }
}

}  // namespace switchboard::plugins
