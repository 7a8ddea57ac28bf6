// PluginRegistry: finds, checks, loads and instantiates plugins; remembers why any failed.
//
// discover() scans folders for plugin folders (a folder holding plugin.json). For each it
// validates the manifest against schemas/plugin-manifest.schema.json, checks the manifest's
// ABI, loads the library (RTLD_NOW | RTLD_LOCAL) with Boost.DLL, finds the entry point,
// and checks the descriptor against the host's ABI version and tag and against the
// manifest (kind, name, version). A plugin that fails any step is recorded with state
// kFailed and a precise error, and skipped; discover() itself never fails.
//
// create<I>() validates an instance config against the plugin's own config schema and
// calls its factory. The returned shared_ptr keeps the plugin's library loaded for as long
// as it (or anything made with holdWith()) lives.
//
// After loading, discover() also creates each loaded plugin's root object once (with the
// instance config from PluginSelection::configs, else {}) and destroys it again, so that a
// config the plugin's schema rejects or a factory that fails or throws shows up as a failed
// plugin at start-up, not later when something needs it. PluginSelection::probe = false
// skips this.
//
// Plugins of the kinds in PluginSelection::on_first_use are only checked as far as no
// plugin code runs (steps 1-4 of PluginLoader: manifest, ABI, config schema, library file)
// and are kAvailable; the first create() loads the library, and a load failure then makes
// the plugin kFailed with its error, returned by that create(). `serve` uses this for agent
// types, workflow patterns and storage backends, so a process carries only the libraries it
// uses; `plugins list` loads every plugin.
//
// Thread safety: discover() must not run concurrently with anything else; after it, every
// method but discover() may be called from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugin_host/manifest.hpp"
#include "core/supervisor/process_supervisor.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/plugin.hpp"
#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"
#include "switchboard/tool_provider.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::core {

class PluginLoader;

// kAvailable: checked without running plugin code; its library loads on first use.
enum class PluginState { kLoaded, kAvailable, kFailed, kDisabled };
std::string_view pluginStateName(PluginState state);

struct PluginInfo {
  std::string name;  // from the manifest (or the folder name when it is unreadable)
  std::string kind;  // "agent" | "workflow" | "storage" | "tools" (may be empty on failure)
  std::string version;
  std::string description;
  std::filesystem::path dir;
  PluginState state = PluginState::kFailed;
  std::string error;                      // why it failed or is disabled; empty when loaded
  std::string config_schema_json = "{}";  // the plugin's config schema (draft-07)
};

// Which plugins to load. Bundled plugins whose manifest says "default": false (e.g. the
// conformance tool provider) load only when named in `enable`.
struct PluginSelection {
  std::vector<std::string> enable;   // names (or short names: "conformance") to load
  std::vector<std::string> disable;  // names never to load (state kDisabled)
  // Instance config (JSON text) per plugin name, used by the start-up probe.
  std::map<std::string, std::string, std::less<>> configs;
  bool probe = true;  // create (and drop) each loaded plugin's root object in discover()
  // Kinds whose libraries load on their first create() instead of in discover().
  std::vector<PluginKind> on_first_use;
};

class PluginRegistry {
 public:
  // `host` is given to every plugin; when null, each plugin gets a HostLog logging with
  // its own name. `manifest_schema_path` is schemas/plugin-manifest.schema.json.
  PluginRegistry(Host* host, std::filesystem::path data_dir,
                 std::filesystem::path manifest_schema_path);
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Runs the processes of plugins that use their HostLog (Host::spawn); it lives as long as
  // the registry or any plugin object.
  ProcessSupervisor& supervisor() { return *supervisor_; }

  // The manifest schema could not be loaded (every plugin then fails with this error).
  const Status& manifestSchemaStatus() const { return manifest_schema_status_; }

  // Scans each folder: a folder with plugin.json is a plugin; otherwise each direct
  // sub-folder with a plugin.json is one. A plugin name seen twice fails the second time.
  void discover(const std::vector<std::filesystem::path>& dirs, const PluginSelection& selection);

  std::vector<PluginInfo> plugins() const;
  // Names of the plugins of one kind that create() can make: loaded or available. Sorted.
  std::vector<std::string> usable(PluginKind kind) const;
  // NotFound when no such plugin is loaded or available.
  Result<PluginInfo> info(std::string_view name) const;

  // NotFound (not usable), FailedPrecondition and the others of PluginLoader::load (an
  // available plugin whose library failed to load), InvalidArgument (wrong kind, or config
  // rejected by the plugin's schema, message lists each violation), or whatever the
  // plugin's factory returned.
  template <typename Interface>
  Result<std::shared_ptr<Interface>> create(std::string_view name, std::string_view config_json) {
    Result<std::shared_ptr<PluginObject>> object =
        createObject(name, Interface::kKind, config_json);
    if (!object.ok()) return object.status();
    // The descriptor's kind was checked against Interface::kKind, and SB_PLUGIN created
    // the object as that interface.
    return std::shared_ptr<Interface>(*object, static_cast<Interface*>(object->get()));
  }

 private:
  struct Loaded;
  Result<std::shared_ptr<PluginObject>> createObject(std::string_view name, PluginKind kind,
                                                     std::string_view config_json);
  void loadOne(const std::filesystem::path& dir, const PluginSelection& selection);
  // Loads the library of a manifest readManifest() accepted; touches no member but reads.
  Result<std::shared_ptr<Loaded>> load(const std::filesystem::path& dir, const Manifest& manifest);
  // The loaded plugin `name`, loading it first when it is available.
  Result<std::shared_ptr<Loaded>> loadedPlugin(std::string_view name);
  void probe(const PluginSelection& selection);
  PluginInfo* findInfo(std::string_view name, PluginState state);

  Host* host_;  // null: each plugin gets a HostLog of its own
  std::shared_ptr<ProcessSupervisor> supervisor_ = std::make_shared<ProcessSupervisor>();
  Status manifest_schema_status_;
  std::unique_ptr<PluginLoader> loader_;  // null when the manifest schema is unavailable
  std::map<std::string, std::filesystem::path, std::less<>> seen_;  // valid manifests by name
  std::filesystem::path data_dir_;
  std::filesystem::path manifest_schema_path_;
  mutable std::mutex mu_;  // guards infos_, loaded_ and available_ after discover()
  std::vector<PluginInfo> infos_;
  std::map<std::string, std::shared_ptr<Loaded>, std::less<>> loaded_;
  std::map<std::string, Manifest, std::less<>> available_;  // checked, library not loaded
};

// Wraps an object a plugin object made (an Agent, a Decider, an AgentCall) so that it
// keeps its maker, and so the maker's library, alive.
template <typename T, typename Owner>
std::shared_ptr<T> holdWith(std::shared_ptr<Owner> owner, std::unique_ptr<T> object) {
  return std::shared_ptr<T>(object.release(), [owner = std::move(owner)](T* p) { delete p; });
}

}  // namespace switchboard::core
