#include "plugins/support/model_api/model_agent_type.hpp"

#include <exception>
#include <filesystem>

#include "plugins/support/model_api/model_worker.hpp"

namespace switchboard::plugins {
namespace {

// An agent id as a file name: anything but [A-Za-z0-9_.-] becomes '_'.
std::string fileName(const std::string& id) {
  std::string out;
  for (char c : id) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
    out.push_back(safe ? c : '_');
  }
  if (out.empty() || out.front() == '.') out = "_" + out;
  return out;
}

}  // namespace

ModelAgentType::ModelAgentType(std::shared_ptr<const ModelDialect> dialect, ModelDefaults defaults,
                               std::string_view plugin_config, std::string agent_config_schema,
                               Host* host, std::string_view data_dir)
    : dialect_(std::move(dialect)),
      defaults_(std::move(defaults)),
      plugin_config_(plugin_config),
      agent_config_schema_(std::move(agent_config_schema)),
      host_(host),
      data_dir_(data_dir) {}

std::shared_ptr<ConversationMemory> ModelAgentType::memoryFor(const std::string& agent_id,
                                                              std::size_t max_turns) {
  std::lock_guard lock(mu_);
  for (auto it = memories_.begin(); it != memories_.end();) {
    it = it->second.expired() ? memories_.erase(it) : std::next(it);
  }
  if (auto known = memories_[agent_id].lock()) {
    known->setMaxTurns(max_turns);
    return known;
  }
  std::string path;
  if (!data_dir_.empty()) {
    path = (std::filesystem::path(data_dir_) / "conversations" / defaults_.type_name /
            (fileName(agent_id) + ".json"))
               .string();
  }
  const bool in_process = path.empty();
  auto memory = std::make_shared<ConversationMemory>(std::move(path), max_turns);
  if (in_process) kept_[agent_id] = memory;  // nowhere else to keep it while the type lives
  if (Status loaded = memory->load(); !loaded.ok() && host_ != nullptr) {
    host_->log(LogLevel::kWarning, defaults_.type_name + " agent " + agent_id + ": " +
                                       loaded.message() + "; it starts with no conversation");
  }
  memories_[agent_id] = memory;
  return memory;
}

Result<std::unique_ptr<Agent>> ModelAgentType::createAgent(const AgentSpec& spec) {
  try {
    Result<ModelSettings> settings = ModelSettings::parse(defaults_, plugin_config_, spec);
    if (!settings.ok()) return settings.status();
    std::shared_ptr<ConversationMemory> memory;
    if (settings->memory_max_turns > 0) {
      memory = memoryFor(spec.id, static_cast<std::size_t>(settings->memory_max_turns));
    }
    return std::unique_ptr<Agent>(std::make_unique<ModelWorker>(dialect_, std::move(*settings),
                                                                host_, spec.id, std::move(memory)));
  } catch (const std::exception& e) {
    return Status::internal(defaults_.type_name + " agent: " + e.what());
  }
}

}  // namespace switchboard::plugins
