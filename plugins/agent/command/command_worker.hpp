// CommandWorker: one command agent. In per_request mode each call() starts a CommandRun;
// in persistent mode the worker starts one process when it is created and sends it one
// JSON line per request, one request at a time, taking the next stdout line as the reply.
//
// A persistent process that ends is not restarted here: the calls waiting on it fail with
// Unavailable, and the host's supervisor reports the crash to the agent's recovery ladder,
// which recreates the agent (and so the process).
//
// Ownership: the host owns the worker; destroying it kills every process it started and
// finishes their calls as Cancelled. Thread safety: call() may be called concurrently.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "plugins/agent/command/command_options.hpp"
#include "plugins/agent/command/command_run.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class CommandWorker final : public Agent {
 public:
  // Starts the persistent process when the mode asks for one; its spawn error otherwise.
  static Result<std::unique_ptr<CommandWorker>> create(Host* host, const AgentSpec& spec,
                                                       CommandOptions options);
  ~CommandWorker() override;

  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

  struct Channel;  // the persistent process and its queue of requests

 private:
  CommandWorker(Host* host, std::string agent_id, CommandOptions options);
  Result<std::unique_ptr<AgentCall>> callOnce(const AgentRequest& request,
                                              std::shared_ptr<AgentCallback> callback);

  Host* host_;
  std::string agent_id_;
  CommandOptions options_;
  std::mutex mu_;
  std::set<std::shared_ptr<CommandRun>> runs_;
  std::shared_ptr<Channel> channel_;  // persistent mode only
};

}  // namespace switchboard::plugins
