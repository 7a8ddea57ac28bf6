// Test helper: loads a bundled plugin from the build tree through the real plugin host
// (core/plugin_host's PluginRegistry), so plugin tests exercise the same manifest, ABI and
// config checks as the gateway.
//
// loadPluginForTest<I>() discovers <build>/plugins/<kind>_<name>/ and creates its root
// object with `config_json` (validated against the plugin's own schema by the registry).
// The returned shared_ptr keeps the library loaded. validateAgainstSchema() checks any JSON
// text against a draft-07 schema text (used for paramsSchema() and agentConfigSchema()).
//
// Test code only. Thread safety: free functions, no shared state.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "switchboard/agent.hpp"
#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::plugins::testing {

std::filesystem::path pluginDirForTest(std::string_view kind, std::string_view name);

// OK when `document_json` satisfies `schema_json`; otherwise InvalidArgument listing every
// violation.
Status validateAgainstSchema(std::string_view schema_json, std::string_view document_json);

// Loads and creates plugin <kind>_<name>. InvalidArgument when the config does not satisfy
// the plugin's schema, FailedPrecondition when the plugin does not load (the host's error),
// or the factory's own Status.
Result<std::shared_ptr<PluginObject>> loadPluginObjectForTest(
    std::string_view kind, std::string_view name, PluginKind expected, std::string_view config_json,
    const std::filesystem::path& data_dir);

template <typename Interface>
Result<std::shared_ptr<Interface>> loadPluginForTest(std::string_view kind, std::string_view name,
                                                     std::string_view config_json = "{}",
                                                     const std::filesystem::path& data_dir = {}) {
  Result<std::shared_ptr<PluginObject>> object =
      loadPluginObjectForTest(kind, name, Interface::kKind, config_json, data_dir);
  if (!object.ok()) return object.status();
  return std::shared_ptr<Interface>(*object, static_cast<Interface*>(object->get()));
}

}  // namespace switchboard::plugins::testing
