// CommandRun: one per_request call of a command agent: the process it started, what it
// printed, and the one onDone() it owes the host.
//
// The supervisor holds the run as the process's observer; the CommandWorker holds it until
// it ends (so destroying the agent kills what still runs); the host's AgentCall handle
// holds it to cancel. Whoever finishes first (onExit, cancel's kill, the agent going away)
// decides the reply; onDone() runs exactly once.
//
// Thread safety: observer callbacks come from the supervisor's thread; cancel() and
// abandon() from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/agent/command/command_options.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/process.hpp"

namespace switchboard::plugins {

class CommandRun final : public ProcessObserver {
 public:
  using OnEnd = std::function<void(const CommandRun*)>;
  CommandRun(const CommandOptions& options, std::shared_ptr<AgentCallback> callback, OnEnd on_end)
      : options_(options), callback_(std::move(callback)), on_end_(std::move(on_end)) {}

  // Takes the started process; writes the request to its stdin.
  void attach(std::unique_ptr<Process> process, const std::string& stdin_bytes);
  // SIGTERM to the group, SIGKILL after the grace; the reply becomes Cancelled.
  void cancel() noexcept;
  // The agent is going away: kill the process now and finish as Cancelled.
  void abandon() noexcept;

  void onStdoutLine(std::string_view line) noexcept override;
  void onStderr(std::string_view chunk) noexcept override;
  void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept override;

 private:
  void finish(AgentReply reply, std::unique_lock<std::mutex>& lock) noexcept;

  const CommandOptions options_;
  std::mutex mu_;
  std::shared_ptr<AgentCallback> callback_;  // null once finished
  OnEnd on_end_;
  std::unique_ptr<Process> process_;
  bool exited_ = false;
  bool cancelled_ = false;
  bool overflow_ = false;
  std::string stdout_;
  std::string stderr_;
};

}  // namespace switchboard::plugins
