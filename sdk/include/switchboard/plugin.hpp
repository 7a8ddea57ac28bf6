// The plugin boundary: the descriptor every plugin exports, the context it is created
// with, and the services the host offers it.
//
// A plugin library exports exactly one symbol, the alias `switchboard_plugin_v1`
// (see export.hpp), which returns a pointer to a static PluginDescriptor. The host reads
// only the plain C fields of the descriptor (struct_size, abi_version, abi_tag, kind,
// name, version) before it calls create(); create() is called only when they match the
// host and the plugin's manifest. Objects the plugin creates are owned by the host, which
// keeps the library loaded until the last of them is destroyed.
//
// Thread safety: a PluginDescriptor is immutable. Host is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "switchboard/process.hpp"
#include "switchboard/status.hpp"
#include "switchboard/version.hpp"

namespace switchboard {

// The four kinds of plugin. The manifest's "kind" uses pluginKindName().
enum class PluginKind : std::uint32_t {
  kAgent = 1,     // switchboard/agent.hpp: AgentType
  kWorkflow = 2,  // switchboard/workflow.hpp: WorkflowPattern
  kStorage = 3,   // switchboard/storage.hpp: StorageBackend
  kTools = 4,     // switchboard/tool_provider.hpp: ToolProvider
};

constexpr std::string_view pluginKindName(PluginKind kind) {
  switch (kind) {
    case PluginKind::kAgent:
      return "agent";
    case PluginKind::kWorkflow:
      return "workflow";
    case PluginKind::kStorage:
      return "storage";
    case PluginKind::kTools:
      return "tools";
  }
  return "unknown";
}

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Services the host offers every plugin. Implemented by the host; thread-safe.
class Host {
 public:
  virtual ~Host() = default;
  // Writes one log line attributed to the plugin. Never pass secrets.
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;
  // Starts a child program under the host's supervisor (see process.hpp). Errors:
  // InvalidArgument (empty argv), NotFound (no such program), PermissionDenied (not
  // executable), Unavailable (the host runs no processes, or the system refused a fork).
  virtual Result<std::unique_ptr<Process>> spawn(
      const ProcessSpec& spec, std::shared_ptr<ProcessObserver> observer) noexcept = 0;
};

// What a plugin's factory receives. Every view stays valid only during create().
struct PluginContext {
  std::string_view config_json;  // instance config, already validated against config_schema
  std::string_view plugin_dir;   // folder holding the plugin's manifest and library
  std::string_view data_dir;     // a folder the plugin may write to (the gateway's data dir)
  Host* host = nullptr;          // outlives every object the plugin creates
};

// Base of every object a plugin's factory returns. The host destroys it through this
// virtual destructor while the plugin's library is still loaded.
class PluginObject {
 public:
  virtual ~PluginObject() = default;
};

// Creates the plugin's root object. On failure returns nullptr and sets *status.
// Never throws (the SB_PLUGIN helper catches everything inside the plugin).
using PluginCreateFn = PluginObject* (*)(const PluginContext& context, Status* status) noexcept;

// C-layout descriptor. Fields are append-only; struct_size tells the host which are present.
struct PluginDescriptor {
  std::uint32_t struct_size;
  std::uint32_t abi_version;  // SB_ABI_VERSION the plugin was built against
  const char* abi_tag;        // SB_ABI_TAG the plugin was built with
  const char* kind;           // pluginKindName() of the root object's interface
  const char* name;           // dotted name, equal to the manifest's "name"
  const char* version;        // semantic version, equal to the manifest's "version"
  PluginCreateFn create;
};

// The name of the one exported alias.
inline constexpr const char* kPluginEntryPoint = "switchboard_plugin_v1";
using PluginEntryFn = const PluginDescriptor* (*)() noexcept;

}  // namespace switchboard
