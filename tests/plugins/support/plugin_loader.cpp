#include "tests/plugins/support/plugin_loader.hpp"

#include <nlohmann/json.hpp>

#include "core/plugin_host/plugin_registry.hpp"
#include "core/plugin_host/schema_validator.hpp"

namespace switchboard::plugins::testing {
namespace {

template <typename Interface>
Result<std::shared_ptr<PluginObject>> create(core::PluginRegistry& registry,
                                             const std::string& name,
                                             std::string_view config_json) {
  Result<std::shared_ptr<Interface>> object = registry.create<Interface>(name, config_json);
  if (!object.ok()) return object.status();
  return std::shared_ptr<PluginObject>(*object);
}

}  // namespace

std::filesystem::path pluginDirForTest(std::string_view kind, std::string_view name) {
  return std::filesystem::path(SWITCHBOARD_BUILD_DIR) / "plugins" /
         (std::string(kind) + "_" + std::string(name));
}

Status validateAgainstSchema(std::string_view schema_json, std::string_view document_json) {
  Result<core::SchemaValidator> schema = core::SchemaValidator::fromText(schema_json, "schema");
  if (!schema.ok()) return Status::invalidArgument(schema.status().message());
  return schema->validateText(document_json);
}

Result<std::shared_ptr<PluginObject>> loadPluginObjectForTest(
    std::string_view kind, std::string_view name, PluginKind expected, std::string_view config_json,
    const std::filesystem::path& data_dir) {
  core::PluginRegistry registry(
      nullptr, data_dir,
      std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas/plugin-manifest.schema.json");
  core::PluginSelection selection;
  selection.enable.push_back(std::string(name));
  selection.probe = false;
  registry.discover({pluginDirForTest(kind, name)}, selection);
  std::vector<core::PluginInfo> found = registry.plugins();
  if (found.size() != 1)
    return Status::notFound("no plugin in " + pluginDirForTest(kind, name).string());
  if (found[0].state != core::PluginState::kLoaded) {
    return Status::failedPrecondition(found[0].name + " did not load: " + found[0].error);
  }
  switch (expected) {
    case PluginKind::kAgent:
      return create<AgentType>(registry, found[0].name, config_json);
    case PluginKind::kWorkflow:
      return create<WorkflowPattern>(registry, found[0].name, config_json);
    case PluginKind::kStorage:
      return create<StorageBackend>(registry, found[0].name, config_json);
    default:
      return Status::invalidArgument(
          "loadPluginForTest handles agent, workflow and storage plugins");
  }
}

}  // namespace switchboard::plugins::testing
