// ClaudeRun: one request of a Claude Code agent: the claude process it runs, the parser of
// its stream-json output, and the one onDone() it owes the host.
//
// Life: created by the ClaudeCodeWorker when call() arrives (its deadline counts from
// then), started when the agent is free (requests to one agent run one at a time, each
// resuming the session the previous one left), ended by onExit() or, before it started,
// by cancel() or its deadline. Whoever ends it first decides the reply; onDone() runs
// exactly once, after the OnEnd hook has told the worker which session to remember.
//
// Ownership: the worker holds the run until it ends, the supervisor holds it as the
// process's observer, the host's AgentCall and the timer hold weak references. The run
// holds its Process and releases it in onExit() (inside the callback, which is the one
// place a Process may be destroyed on the supervisor's thread).
//
// Thread safety: observer callbacks come from the supervisor's thread; cancel(),
// onDeadline() and abandon() from any thread. The run's lock is never held while calling
// the host, the callback or the supervisor's blocking operations.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/agent/claude_code/claude_options.hpp"
#include "plugins/agent/claude_code/claude_reply.hpp"
#include "plugins/agent/claude_code/deadline_timer.hpp"
#include "plugins/agent/claude_code/stream_json_parser.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"
#include "switchboard/process.hpp"

namespace switchboard::plugins {

class ClaudeRun final : public ProcessObserver, public std::enable_shared_from_this<ClaudeRun> {
 public:
  // Called once when the run ends, before onDone(): `session` is the session the agent
  // should resume next ("" = keep what it has); `forget` asks it to drop its session.
  using OnEnd = std::function<void(const ClaudeRun* run, const std::string& session, bool forget)>;

  ClaudeRun(AgentRequest request, std::shared_ptr<AgentCallback> callback, std::int64_t timeout_ms,
            std::int64_t kill_grace_ms, OnEnd on_end);

  // Arms the deadline on `timer` (weakly referencing this run).
  void armDeadline(const std::shared_ptr<DeadlineTimer>& timer);

  // Starts claude. On an error the run is over without calling onDone() or OnEnd (the
  // caller reports the error itself). Already cancelled or timed out: returns OK and does
  // nothing (the reply was given).
  Status start(Host* host, const ClaudeOptions& options, const std::string& remembered_session,
               const std::string& owner);
  // Like start(), but a failure to start becomes this run's reply (queued runs).
  void startOrFail(Host* host, const ClaudeOptions& options, const std::string& remembered_session,
                   const std::string& owner);

  // SIGTERM to the group (SIGKILL after the grace); the reply becomes Cancelled. Before the
  // start: replies Cancelled at once. Idempotent.
  void cancel() noexcept;
  // The deadline passed: like cancel() but the reply is DeadlineExceeded.
  void onDeadline() noexcept;
  // The agent is going away: kill the group now and reply Cancelled.
  void abandon() noexcept;

  void onStdoutLine(std::string_view line) noexcept override;
  void onStderr(std::string_view chunk) noexcept override;
  void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept override;

 private:
  void stop(RunEnd::StoppedBy why) noexcept;
  void finish(AgentReply reply, std::string remember, bool forget,
              std::unique_lock<std::mutex>& lock) noexcept;

  const AgentRequest request_;
  const std::int64_t timeout_ms_;
  const std::int64_t kill_grace_ms_;
  const std::chrono::steady_clock::time_point deadline_;

  std::mutex mu_;
  std::shared_ptr<AgentCallback> callback_;  // null once the reply is given
  OnEnd on_end_;
  std::weak_ptr<DeadlineTimer> timer_;
  DeadlineTimer::Id timer_id_ = 0;
  std::unique_ptr<Process> process_;
  bool started_ = false;
  RunEnd::StoppedBy stopped_by_ = RunEnd::StoppedBy::kNothing;
  ClaudeInvocation invocation_;
  StreamJsonParser parser_;
  std::string stderr_;
};

}  // namespace switchboard::plugins
