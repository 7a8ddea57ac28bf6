#include "core/plugin_host/plugin_loader.hpp"

#include <cstring>
#include <exception>
#include <string_view>
#include <system_error>
#include <utility>

namespace switchboard::core {
namespace {

// Boost.DLL reports "<what> (dlerror system message: <text>): <errc message>"; the dlerror
// text (e.g. "<path>: undefined symbol: foo") is what the user needs.
std::string dlerrorText(const std::system_error& e) {
  std::string what = e.what();
  constexpr std::string_view kMarker = "(dlerror system message: ";
  std::string::size_type start = what.find(kMarker);
  if (start == std::string::npos) return what;
  start += kMarker.size();
  std::string::size_type end = what.rfind("): " + e.code().message());
  if (end == std::string::npos || end < start) end = what.rfind(')');
  if (end == std::string::npos || end < start) return what.substr(start);
  return what.substr(start, end - start);
}

std::string quoted(const char* text) {
  return text == nullptr ? std::string("(null)") : "'" + std::string(text) + "'";
}

bool equals(const char* text, std::string_view expected) {
  return text != nullptr && std::string_view(text) == expected;
}

}  // namespace

PluginLoader::PluginLoader(SchemaValidator manifest_schema)
    : manifest_schema_(std::move(manifest_schema)) {}

Result<Manifest> PluginLoader::readManifest(const std::filesystem::path& dir) const {
  return Manifest::load(dir, manifest_schema_);
}

Result<LoadedPlugin> PluginLoader::check(const std::filesystem::path& dir,
                                         const Manifest& manifest) const {
  if (manifest.abi != SB_ABI_VERSION) {
    return Status::failedPrecondition("manifest declares ABI " + std::to_string(manifest.abi) +
                                      ", this host has ABI " + std::to_string(SB_ABI_VERSION) +
                                      " (rebuild the plugin against this SDK)");
  }
  LoadedPlugin plugin;
  plugin.manifest = manifest;
  plugin.dir = dir;
  std::error_code ec;

  if (!manifest.config_schema.empty()) {
    std::filesystem::path schema_path = dir / manifest.config_schema;
    if (!std::filesystem::is_regular_file(schema_path, ec)) {
      return Status::notFound("config schema file not found: " + schema_path.string());
    }
    Result<SchemaValidator> schema = SchemaValidator::fromFile(schema_path);
    if (!schema.ok()) return schema.status().withContext("config schema");
    plugin.config_schema = std::move(*schema);
  }

  std::filesystem::path library_path = manifest.libraryPath(dir);
  if (!std::filesystem::is_regular_file(library_path, ec)) {
    return Status::notFound("library file not found: " + library_path.string());
  }
  return plugin;
}

Result<LoadedPlugin> PluginLoader::load(const std::filesystem::path& dir,
                                        const Manifest& manifest) const {
  Result<LoadedPlugin> checked = check(dir, manifest);
  if (!checked.ok()) return checked.status();
  LoadedPlugin plugin = std::move(*checked);
  std::filesystem::path library_path = manifest.libraryPath(dir);
  try {
    plugin.library = std::make_shared<boost::dll::shared_library>(
        library_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::system_error& e) {
    return Status::failedPrecondition("cannot load library: " + dlerrorText(e));
  } catch (const std::exception& e) {
    return Status::failedPrecondition(std::string("cannot load library: ") + e.what());
  }

  if (!plugin.library->has(kPluginEntryPoint)) {
    return Status::notFound(std::string("missing entry point '") + kPluginEntryPoint + "' in " +
                            library_path.filename().string() +
                            " (the plugin must use SB_PLUGIN exactly once)");
  }
  const PluginDescriptor* descriptor = nullptr;
  try {
    auto& entry = plugin.library->get_alias<const PluginDescriptor*() noexcept>(kPluginEntryPoint);
    descriptor = entry();
  } catch (const std::exception& e) {
    return Status::failedPrecondition(std::string("cannot resolve entry point: ") + e.what());
  }
  if (descriptor == nullptr)
    return Status::failedPrecondition("entry point returned no descriptor");

  if (descriptor->struct_size != sizeof(PluginDescriptor)) {
    return Status::failedPrecondition(
        "descriptor struct_size " + std::to_string(descriptor->struct_size) +
        " differs from the host's " + std::to_string(sizeof(PluginDescriptor)));
  }
  if (descriptor->abi_version != SB_ABI_VERSION) {
    return Status::failedPrecondition("library built against ABI " +
                                      std::to_string(descriptor->abi_version) +
                                      ", this host has ABI " + std::to_string(SB_ABI_VERSION));
  }
  if (!equals(descriptor->abi_tag, SB_ABI_TAG)) {
    return Status::failedPrecondition("toolchain tag " + quoted(descriptor->abi_tag) +
                                      " differs from the host's '" SB_ABI_TAG "'");
  }
  if (!equals(descriptor->kind, manifest.kind)) {
    return Status::failedPrecondition("descriptor kind " + quoted(descriptor->kind) +
                                      " differs from the manifest's '" + manifest.kind + "'");
  }
  if (!equals(descriptor->name, manifest.name)) {
    return Status::failedPrecondition("descriptor name " + quoted(descriptor->name) +
                                      " differs from the manifest's '" + manifest.name + "'");
  }
  if (!equals(descriptor->version, manifest.version)) {
    return Status::failedPrecondition("descriptor version " + quoted(descriptor->version) +
                                      " differs from the manifest's '" + manifest.version + "'");
  }
  if (descriptor->create == nullptr) return Status::failedPrecondition("descriptor has no factory");
  plugin.descriptor = descriptor;
  return plugin;
}

}  // namespace switchboard::core
