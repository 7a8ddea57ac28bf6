#include "core/plugin_host/plugin_registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/common/enum_names.hpp"
#include "core/plugin_host/host_log.hpp"
#include "core/plugin_host/plugin_loader.hpp"

namespace switchboard::core {

constexpr EnumNames<PluginState, 4> kStateNames{{{
    {PluginState::kLoaded, "loaded"},
    {PluginState::kAvailable, "available"},
    {PluginState::kFailed, "failed"},
    {PluginState::kDisabled, "disabled"},
}}};

std::string_view pluginStateName(PluginState state) { return kStateNames.name(state); }

// One loaded plugin. Shared by the registry and by every object the plugin created, so
// the library (and the Host the plugin was given) outlive all of them.
struct PluginRegistry::Loaded {
  LoadedPlugin plugin;
  std::unique_ptr<HostLog> own_host;
  Host* host = nullptr;
  std::string dir_text;
  std::string data_dir_text;
};

namespace {

bool named(const std::vector<std::string>& list, const Manifest& manifest) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& entry) {
    return entry == manifest.name || entry == manifest.shortName();
  });
}

std::string schemaText(const LoadedPlugin& plugin) {
  return plugin.config_schema ? plugin.config_schema->document().dump() : "{}";
}

bool onFirstUse(const PluginSelection& selection, const Manifest& manifest) {
  return std::any_of(selection.on_first_use.begin(), selection.on_first_use.end(),
                     [&](PluginKind kind) { return pluginKindName(kind) == manifest.kind; });
}

}  // namespace

PluginRegistry::PluginRegistry(Host* host, std::filesystem::path data_dir,
                               std::filesystem::path manifest_schema_path)
    : host_(host),
      data_dir_(std::move(data_dir)),
      manifest_schema_path_(std::move(manifest_schema_path)) {
  Result<SchemaValidator> schema = SchemaValidator::fromFile(manifest_schema_path_);
  if (schema.ok()) {
    loader_ = std::make_unique<PluginLoader>(std::move(*schema));
  } else {
    manifest_schema_status_ = schema.status().withContext("plugin manifest schema unavailable");
  }
}

PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::discover(const std::vector<std::filesystem::path>& dirs,
                              const PluginSelection& selection) {
  std::set<std::filesystem::path> scanned;
  for (const std::filesystem::path& dir : dirs) {
    std::error_code ec;
    std::filesystem::path canonical = std::filesystem::weakly_canonical(dir, ec);
    if (ec) canonical = dir;
    if (!scanned.insert(canonical).second) continue;
    if (!std::filesystem::is_directory(canonical, ec)) {
      spdlog::warn("plugin folder {} does not exist; skipped", dir.string());
      continue;
    }
    if (std::filesystem::exists(canonical / "plugin.json", ec)) {
      loadOne(canonical, selection);
      continue;
    }
    std::vector<std::filesystem::path> children;
    for (const auto& entry : std::filesystem::directory_iterator(canonical, ec)) {
      std::error_code entry_ec;
      if (entry.is_directory(entry_ec) &&
          std::filesystem::exists(entry.path() / "plugin.json", entry_ec)) {
        children.push_back(entry.path());
      }
    }
    if (ec) spdlog::warn("cannot list plugin folder {}: {}", dir.string(), ec.message());
    std::sort(children.begin(), children.end());
    for (const std::filesystem::path& child : children) loadOne(child, selection);
  }
  if (selection.probe) probe(selection);
}

void PluginRegistry::loadOne(const std::filesystem::path& dir, const PluginSelection& selection) {
  PluginInfo info;
  info.name = dir.filename().string();
  info.dir = dir;
  info.state = PluginState::kFailed;
  auto fail = [&](const Status& status) {
    info.state = PluginState::kFailed;
    info.error = status.message();
    spdlog::warn("plugin {} ({}) failed: {}", info.name, dir.string(), info.error);
    infos_.push_back(std::move(info));
  };
  if (!loader_) return fail(manifest_schema_status_);

  Result<Manifest> manifest = loader_->readManifest(dir);
  if (!manifest.ok()) return fail(manifest.status());
  info.name = manifest->name;
  info.kind = manifest->kind;
  info.version = manifest->version;
  info.description = manifest->description;

  auto seen = seen_.find(manifest->name);
  if (seen != seen_.end()) {
    return fail(Status::alreadyExists("duplicate plugin name '" + manifest->name +
                                      "': already found in " + seen->second.string()));
  }
  seen_.emplace(manifest->name, dir);

  if (named(selection.disable, *manifest)) {
    info.state = PluginState::kDisabled;
    info.error = "disabled by configuration (plugins.disable)";
    infos_.push_back(std::move(info));
    return;
  }
  if (!manifest->default_enabled && !named(selection.enable, *manifest)) {
    info.state = PluginState::kDisabled;
    info.error = "not loaded by default; enable it with --plugins " + manifest->shortName() +
                 " or plugins.enable";
    infos_.push_back(std::move(info));
    return;
  }

  if (onFirstUse(selection, *manifest)) {
    // The compiled config schema is dropped and compiled again on first use: an idle
    // gateway then holds no validator for a plugin it never uses.
    Result<LoadedPlugin> checked = loader_->check(dir, *manifest);
    if (!checked.ok()) return fail(checked.status());
    info.config_schema_json = schemaText(*checked);
    info.state = PluginState::kAvailable;
    available_.emplace(manifest->name, std::move(*manifest));
    infos_.push_back(std::move(info));
    return;
  }
  Result<std::shared_ptr<Loaded>> loaded = load(dir, *manifest);
  if (!loaded.ok()) return fail(loaded.status());
  info.config_schema_json = schemaText((*loaded)->plugin);
  info.state = PluginState::kLoaded;
  loaded_.emplace(manifest->name, std::move(*loaded));
  spdlog::debug("plugin {} {} loaded from {}", info.name, info.version, dir.string());
  infos_.push_back(std::move(info));
}

Result<std::shared_ptr<PluginRegistry::Loaded>> PluginRegistry::load(
    const std::filesystem::path& dir, const Manifest& manifest) {
  Result<LoadedPlugin> plugin = loader_->load(dir, manifest);
  if (!plugin.ok()) return plugin.status();
  auto loaded = std::make_shared<Loaded>();
  loaded->plugin = std::move(*plugin);
  if (host_ == nullptr) loaded->own_host = std::make_unique<HostLog>(manifest.name, supervisor_);
  loaded->host = host_ != nullptr ? host_ : loaded->own_host.get();
  loaded->dir_text = dir.string();
  loaded->data_dir_text = data_dir_.string();
  return loaded;
}

Result<std::shared_ptr<PluginRegistry::Loaded>> PluginRegistry::loadedPlugin(
    std::string_view name) {
  std::lock_guard lock(mu_);
  auto found = loaded_.find(name);
  if (found != loaded_.end()) return found->second;
  auto available = available_.find(name);
  PluginInfo* info = findInfo(name, PluginState::kAvailable);
  if (available == available_.end() || info == nullptr) {
    for (const PluginInfo& other : infos_) {
      if (other.name == name) {
        return Status::notFound("plugin '" + std::string(name) + "' is " +
                                std::string(pluginStateName(other.state)) + ": " + other.error);
      }
    }
    return Status::notFound("no plugin named '" + std::string(name) + "'");
  }
  Result<std::shared_ptr<Loaded>> loaded = load(info->dir, available->second);
  available_.erase(available);
  if (!loaded.ok()) {
    info->state = PluginState::kFailed;
    info->error = loaded.status().message();
    spdlog::warn("plugin {} ({}) failed to load on first use: {}", info->name, info->dir.string(),
                 info->error);
    return loaded.status().withContext("plugin '" + info->name + "' failed to load");
  }
  info->config_schema_json = schemaText((*loaded)->plugin);
  info->state = PluginState::kLoaded;
  spdlog::debug("plugin {} {} loaded on first use from {}", info->name, info->version,
                info->dir.string());
  loaded_.emplace(info->name, *loaded);
  return *loaded;
}

void PluginRegistry::probe(const PluginSelection& selection) {
  std::vector<std::pair<std::string, PluginKind>> names;
  for (const auto& [name, loaded] : loaded_) {
    for (PluginKind kind :
         {PluginKind::kAgent, PluginKind::kWorkflow, PluginKind::kStorage, PluginKind::kTools}) {
      if (pluginKindName(kind) == loaded->plugin.manifest.kind) names.emplace_back(name, kind);
    }
  }
  for (const auto& [name, kind] : names) {
    auto config = selection.configs.find(name);
    std::string config_json = config == selection.configs.end() ? "{}" : config->second;
    Result<std::shared_ptr<PluginObject>> object = createObject(name, kind, config_json);
    if (object.ok()) continue;
    PluginInfo* info = findInfo(name, PluginState::kLoaded);
    if (info != nullptr) {
      info->state = PluginState::kFailed;
      info->error = object.status().message();
    }
    spdlog::warn("plugin {} failed: {}", name, object.status().message());
    loaded_.erase(name);
  }
}

PluginInfo* PluginRegistry::findInfo(std::string_view name, PluginState state) {
  for (PluginInfo& info : infos_) {
    if (info.name == name && info.state == state) return &info;
  }
  return nullptr;
}

std::vector<PluginInfo> PluginRegistry::plugins() const {
  std::lock_guard lock(mu_);
  return infos_;
}

std::vector<std::string> PluginRegistry::usable(PluginKind kind) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const PluginInfo& info : infos_) {
    bool usable = info.state == PluginState::kLoaded || info.state == PluginState::kAvailable;
    if (usable && info.kind == pluginKindName(kind)) out.push_back(info.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<PluginInfo> PluginRegistry::info(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const PluginInfo& info : infos_) {
    bool usable = info.state == PluginState::kLoaded || info.state == PluginState::kAvailable;
    if (info.name == name && usable) return info;
  }
  return Status::notFound("plugin '" + std::string(name) + "' is not loaded or available");
}

Result<std::shared_ptr<PluginObject>> PluginRegistry::createObject(std::string_view name,
                                                                   PluginKind kind,
                                                                   std::string_view config_json) {
  Result<std::shared_ptr<Loaded>> found = loadedPlugin(name);
  if (!found.ok()) return found.status();
  std::shared_ptr<Loaded> loaded = std::move(*found);
  const Manifest& manifest = loaded->plugin.manifest;
  if (manifest.kind != pluginKindName(kind)) {
    return Status::invalidArgument("plugin '" + manifest.name + "' is a " + manifest.kind +
                                   " plugin, not " + std::string(pluginKindName(kind)));
  }

  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  if (config.is_discarded()) {
    return Status::invalidArgument("config of plugin '" + manifest.name + "' is not valid JSON");
  }
  if (loaded->plugin.config_schema) {
    Status valid = loaded->plugin.config_schema->validate(config);
    if (!valid.ok()) {
      return Status::invalidArgument("config of plugin '" + manifest.name +
                                     "' rejected by its schema: " + valid.message());
    }
  } else if (config != nlohmann::json::object()) {
    return Status::invalidArgument("plugin '" + manifest.name +
                                   "' takes no config (its manifest has no config_schema); only {} "
                                   "is accepted");
  }

  std::string config_text = config.dump();
  PluginContext context;
  context.config_json = config_text;
  context.plugin_dir = loaded->dir_text;
  context.data_dir = loaded->data_dir_text;
  context.host = loaded->host;

  Status status;
  PluginObject* raw = nullptr;
  const std::string context_text = "factory of " + manifest.name + " failed";
  try {
    raw = loaded->plugin.descriptor->create(context, &status);
  } catch (const std::exception& e) {
    return Status::internal(context_text + ": threw " + e.what());
  } catch (...) {
    return Status::internal(context_text + ": threw a non-standard exception");
  }
  if (raw == nullptr) {
    if (status.ok()) return Status::internal(context_text + ": it returned no object and no error");
    return status.withContext(context_text);
  }
  // The deleter owns the plugin's library (and its Host): it is unloaded only after the
  // object's destructor, which lives in that library, has run.
  return std::shared_ptr<PluginObject>(raw, [loaded](PluginObject* object) { delete object; });
}

}  // namespace switchboard::core
