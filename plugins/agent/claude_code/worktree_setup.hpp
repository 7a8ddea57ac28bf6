// WorktreeSetup: runs a WorktreePlan: each git command through the host's supervisor
// (Host::spawn, never a shell, never a fork of our own), one after the other, and reports
// once when the worktree is ready or cannot be made.
//
// Life: start() runs the first command; each onExit() runs the next one (spawning from the
// supervisor's thread, which the supervisor allows) until the plan is ready or failed, then
// calls OnDone exactly once — unless abandon() came first. stop() sends SIGTERM to the git
// command running (SIGKILL after the grace; git removes a half-made worktree on SIGTERM)
// and OnDone follows with Cancelled once it has ended, so nothing runs in the repository
// after the reply. git missing → FailedPrecondition naming the program and git_path.
//
// Ownership: the ClaudeRun holds the setup while it runs; the supervisor holds it as the
// observer of the git process; the setup holds that Process. OnDone must hold only weak
// references to the run.
//
// Thread safety: start(), stop() and abandon() may be called from any thread; OnDone is
// called without the setup's lock, from the caller of start() or the supervisor's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/agent/claude_code/worktree_plan.hpp"
#include "switchboard/plugin.hpp"
#include "switchboard/process.hpp"

namespace switchboard::plugins {

class WorktreeSetup final : public ProcessObserver,
                            public std::enable_shared_from_this<WorktreeSetup> {
 public:
  // `summary` says what was done (created or reused) when `status` is OK.
  using OnDone = std::function<void(const Status& status, const std::string& summary)>;

  // `base` holds the env, owner and limits of the git processes; its argv[0] is the git
  // program, the rest of argv is replaced by each step's.
  WorktreeSetup(Host* host, WorktreePlan plan, ProcessSpec base, std::int64_t kill_grace_ms,
                OnDone on_done);

  void start();
  void stop() noexcept;
  // Kills the running git command now; OnDone is never called.
  void abandon() noexcept;

  void onStdoutLine(std::string_view line) noexcept override;
  void onStderr(std::string_view chunk) noexcept override;
  void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept override;

 private:
  void advance(WorktreePlan::Step step);
  void done(const Status& status, const std::string& summary);

  Host* const host_;
  const ProcessSpec base_;
  const std::int64_t kill_grace_ms_;

  std::mutex mu_;
  WorktreePlan plan_;
  OnDone on_done_;  // null once called or abandoned
  std::unique_ptr<Process> process_;
  std::uint64_t serial_ = 0;         // of the command started last
  std::uint64_t exited_serial_ = 0;  // of the command whose onExit ran last
  bool stopped_ = false;
  std::string out_;
  std::string err_;
};

}  // namespace switchboard::plugins
