// ClaudeCodeWorker: one Claude Code agent. Each call() becomes a ClaudeRun; runs of one
// agent go one at a time (each resumes the session the previous one left, so the agent
// keeps its context), the others wait in a queue with their deadlines already running.
//
// Sessions: the worker remembers the session id of the last run that printed a result
// line and passes it as --resume to the next run, unless the request names its own
// session. A run that names an unknown session makes it forget.
//
// Worktree: with "git_worktree" the first run prepares the agent's worktree (or finds it
// from an earlier life) and later runs reuse it without asking git again, as long as its
// folder still holds a .git entry. The worker never removes it: the host destroys an
// agent's runtime on stop, restart, update and gateway shutdown as well as on delete, and
// cannot tell them apart, so the worktree and its branch stay — with any uncommitted work —
// until someone removes them (`git worktree remove`, which refuses while it is dirty). The
// destructor logs where it is and how to remove it.
//
// Ownership: the host owns the worker; the worker owns its queued and running runs and
// shares the timer of its type. Destroying it kills the running claude (or git) and
// answers every run still queued with Cancelled.
//
// Thread safety: call() may be invoked concurrently.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/agent/claude_code/claude_options.hpp"
#include "plugins/agent/claude_code/claude_run.hpp"
#include "plugins/agent/claude_code/deadline_timer.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ClaudeCodeWorker final : public Agent {
 public:
  ClaudeCodeWorker(Host* host, std::string agent_id, ClaudeOptions options,
                   std::shared_ptr<DeadlineTimer> timer);
  ~ClaudeCodeWorker() override;

  // InvalidArgument for a request without a prompt; when the agent is idle, the error of
  // starting claude (NotFound when the program does not exist, PermissionDenied, ...).
  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

 private:
  struct State {
    Host* host = nullptr;
    std::string agent_id;
    std::shared_ptr<const ClaudeOptions> options;
    std::shared_ptr<DeadlineTimer> timer;
    std::mutex mu;
    std::string session;  // to resume next
    bool worktree_ready = false;
    std::shared_ptr<ClaudeRun> current;
    std::deque<std::shared_ptr<ClaudeRun>> queue;
    bool closed = false;
  };
  static void runEnded(const std::shared_ptr<State>& state, const ClaudeRun* run,
                       const RunOutcome& outcome);
  // The worktree was prepared earlier and its folder is still there.
  static bool worktreeReady(const State& state);

  std::shared_ptr<State> state_;
};

}  // namespace switchboard::plugins
