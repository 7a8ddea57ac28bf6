// ClaudeRun: one request of a Claude Code agent: the git worktree it may have to prepare
// first, the claude process it runs, the control channel it answers, the parser of its
// stream-json output, and the one onDone() it owes the host.
//
// Life: created by the ClaudeCodeWorker when call() arrives (its deadline counts from
// then), started when the agent is free (requests to one agent run one at a time, each
// resuming the session the previous one left). Started, it first prepares the agent's
// git worktree when the agent has one that is not ready yet (WorktreeSetup), then spawns
// claude; with the control channel it writes the prompt as a user message, answers each
// control request as it arrives (can_use_tool from the tool policy, anything else with an
// error), and closes stdin once the result line is read so the CLI exits. Whoever ends it
// first — onExit(), a worktree failure, or cancel()/the deadline before claude started —
// decides the reply; onDone() runs exactly once, after the OnEnd hook has told the worker
// which session to remember and whether the worktree is ready.
//
// Stopping (cancel, deadline): while git runs, it is terminated and the reply follows its
// end; with the control channel claude is sent a control `interrupt` and its process group
// is SIGKILLed kill_grace_ms later if it has not exited by then; without the channel the
// group gets SIGTERM, then SIGKILL after the grace. The supervisor kills what is left of
// the group whenever the leader exits, so nothing outlives the run.
//
// Ownership: the worker holds the run until it ends, the supervisor holds it as the
// process's observer, the host's AgentCall and the timer hold weak references. The run
// holds its Process and its WorktreeSetup and releases the Process in onExit() (inside the
// callback, which is the one place a Process may be destroyed on the supervisor's thread).
//
// Thread safety: observer callbacks come from the supervisor's thread; cancel(),
// onDeadline() and abandon() from any thread. The run's lock is never held while calling
// the host's spawn or log, the callback, or the supervisor's blocking operations (writing
// to stdin and signalling only queue work and are done under it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "plugins/agent/claude_code/claude_options.hpp"
#include "plugins/agent/claude_code/claude_reply.hpp"
#include "plugins/agent/claude_code/control_channel.hpp"
#include "plugins/agent/claude_code/deadline_timer.hpp"
#include "plugins/agent/claude_code/stream_json_parser.hpp"
#include "plugins/agent/claude_code/worktree_setup.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"
#include "switchboard/process.hpp"

namespace switchboard::plugins {

// What the worker learns when a run ends.
struct RunOutcome {
  std::string session;          // the session to resume next ("" = keep what it has)
  bool forget = false;          // drop the session it has
  bool worktree_ready = false;  // this run prepared (or found) the agent's worktree
};

class ClaudeRun final : public ProcessObserver, public std::enable_shared_from_this<ClaudeRun> {
 public:
  // Called once when the run ends, before onDone().
  using OnEnd = std::function<void(const ClaudeRun* run, const RunOutcome& outcome)>;

  ClaudeRun(AgentRequest request, std::shared_ptr<AgentCallback> callback, std::int64_t timeout_ms,
            std::int64_t kill_grace_ms, OnEnd on_end);

  // Arms the deadline on `timer` (weakly referencing this run); the timer also times the
  // grace between an interrupt and the kill.
  void armDeadline(const std::shared_ptr<DeadlineTimer>& timer);

  // Starts the run: the worktree first unless `worktree_ready`, then claude. On an error
  // starting claude directly the run is over without calling onDone() or OnEnd (the caller
  // reports the error itself); errors after a worktree step become the reply. Already
  // cancelled or timed out: returns OK and does nothing (the reply was given).
  Status start(Host* host, std::shared_ptr<const ClaudeOptions> options,
               const std::string& remembered_session, const std::string& owner,
               bool worktree_ready);
  // Like start(), but a failure to start becomes this run's reply (queued runs).
  void startOrFail(Host* host, std::shared_ptr<const ClaudeOptions> options,
                   const std::string& remembered_session, const std::string& owner,
                   bool worktree_ready);

  // Stops the run as described above; the reply becomes Cancelled. Before the start:
  // replies Cancelled at once. Idempotent.
  void cancel() noexcept;
  // The deadline passed: like cancel() but the reply is DeadlineExceeded.
  void onDeadline() noexcept;
  // The agent is going away: kill the group (or git) now and reply Cancelled.
  void abandon() noexcept;

  void onStdoutLine(std::string_view line) noexcept override;
  void onStderr(std::string_view chunk) noexcept override;
  void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept override;

 private:
  Status spawnClaude();
  void onWorktreeDone(const Status& status, const std::string& summary) noexcept;
  void killNow() noexcept;
  void stop(RunEnd::StoppedBy why) noexcept;
  void progress(const std::string& message, LogLevel level) noexcept;
  void finish(AgentReply reply, RunOutcome outcome, std::unique_lock<std::mutex>& lock) noexcept;

  const AgentRequest request_;
  const std::int64_t timeout_ms_;
  const std::int64_t kill_grace_ms_;
  const std::chrono::steady_clock::time_point deadline_;

  std::mutex mu_;
  std::shared_ptr<AgentCallback> callback_;  // null once the reply is given
  OnEnd on_end_;
  std::weak_ptr<DeadlineTimer> timer_;
  DeadlineTimer::Id timer_id_ = 0;
  Host* host_ = nullptr;
  std::shared_ptr<const ClaudeOptions> options_;
  std::string owner_;
  std::shared_ptr<WorktreeSetup> setup_;  // while the worktree is being prepared
  bool worktree_ready_ = false;
  std::unique_ptr<Process> process_;
  bool started_ = false;
  RunEnd::StoppedBy stopped_by_ = RunEnd::StoppedBy::kNothing;
  ClaudeInvocation invocation_;
  std::optional<ControlChannel> channel_;
  nlohmann::json tool_decisions_ = nlohmann::json::array();  // the first kMaxDecisions
  std::int64_t decisions_seen_ = 0;
  std::string pending_stdin_;  // answers written before process_ was set
  StreamJsonParser parser_;
  std::string stderr_;
};

}  // namespace switchboard::plugins
