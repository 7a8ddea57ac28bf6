// CommandAgent: the `command` agent type. Creates CommandWorkers that run their program
// through the host's supervisor (Host::spawn), so every process is grouped, limited,
// metered and reaped by the gateway.
//
// Ownership: the host owns the type and keeps it alive while its agents live. Thread
// safety: createAgent() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class CommandAgent : public AgentType {
 public:
  explicit CommandAgent(Host* host) : host_(host) {}

  std::string agentConfigSchema() const override;
  // InvalidArgument when the config does not name a program; in persistent mode, the
  // error of starting the process (NotFound, PermissionDenied, ...).
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override;

 private:
  Host* host_;
};

}  // namespace switchboard::plugins
