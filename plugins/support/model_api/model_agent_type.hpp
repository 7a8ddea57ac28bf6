// ModelAgentType: an agent type whose agents are ModelWorkers speaking one ModelDialect.
// The `anthropic` and `openai` plugins are each one of these with their own dialect,
// defaults and agent config schema.
//
// Conversation memory (agent config `memory`): one ConversationMemory per agent id, shared by
// every worker made for that id while any of them lives (the host makes a new one when an
// agent is restarted or its config changes). With a data folder it is kept in
// <data_dir>/conversations/<type>/<agent id>.json and read back when the agent is created
// again, after a gateway restart too; without one it is kept by the type, in this process
// only. Deleting the agent leaves it (no SDK call says an agent is deleted rather than
// unloaded).
//
// Ownership: the host owns the type and keeps it alive while its agents live; agents share
// the dialect. Thread safety: createAgent() may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "plugins/support/model_api/conversation_memory.hpp"
#include "plugins/support/model_api/model_dialect.hpp"
#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::plugins {

class ModelAgentType : public AgentType {
 public:
  // `data_dir` "" keeps conversations in memory only.
  ModelAgentType(std::shared_ptr<const ModelDialect> dialect, ModelDefaults defaults,
                 std::string_view plugin_config, std::string agent_config_schema, Host* host,
                 std::string_view data_dir);

  std::string agentConfigSchema() const override { return agent_config_schema_; }
  // InvalidArgument when the settings cannot describe a working agent (see ModelSettings).
  // A conversation file that cannot be read is logged and the agent starts with none.
  Result<std::unique_ptr<Agent>> createAgent(const AgentSpec& spec) override;

 private:
  std::shared_ptr<ConversationMemory> memoryFor(const std::string& agent_id, std::size_t max_turns);

  const std::shared_ptr<const ModelDialect> dialect_;
  const ModelDefaults defaults_;
  const std::string plugin_config_;
  const std::string agent_config_schema_;
  Host* const host_;
  const std::string data_dir_;
  std::mutex mu_;
  std::map<std::string, std::weak_ptr<ConversationMemory>> memories_;  // by agent id
  std::map<std::string, std::shared_ptr<ConversationMemory>> kept_;    // without a data folder
};

}  // namespace switchboard::plugins
