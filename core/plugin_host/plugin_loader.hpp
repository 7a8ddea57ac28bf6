// PluginLoader: checks and loads one plugin folder, in a fixed order that runs no plugin
// code until everything that can be checked without it has passed:
//   1. plugin.json is valid against schemas/plugin-manifest.schema.json
//   2. the manifest's abi equals SB_ABI_VERSION
//   3. the config schema named by the manifest (if any) is readable and compiles
//   4. the library file exists
//   5. it loads with Boost.DLL, RTLD_NOW | RTLD_LOCAL (dlerror text on failure)
//   6. it exports the `switchboard_plugin_v1` alias
//   7. the descriptor's struct_size, abi_version and abi_tag equal the host's
//   8. the descriptor's kind, name and version equal the manifest's
// Every failure is a Status whose message says which step failed and why; the codes are
// InvalidArgument (manifest, config schema), NotFound (files, entry point) and
// FailedPrecondition (ABI, toolchain, identity mismatches, load errors).
//
// Thread safety: const methods; safe to call concurrently. LoadedPlugin is a value that
// shares ownership of the library.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/plugin_host/manifest.hpp"
#include "core/plugin_host/schema_validator.hpp"
#include "switchboard/plugin.hpp"

namespace switchboard::core {

struct LoadedPlugin {
  Manifest manifest;
  std::filesystem::path dir;
  std::shared_ptr<boost::dll::shared_library> library;
  const PluginDescriptor* descriptor = nullptr;  // points into `library`
  std::optional<SchemaValidator> config_schema;  // nullopt: only {} is accepted
};

class PluginLoader {
 public:
  explicit PluginLoader(SchemaValidator manifest_schema);

  // Step 1: reads no library. NotFound when there is no plugin.json.
  Result<Manifest> readManifest(const std::filesystem::path& dir) const;
  // Steps 2 to 4 for a manifest readManifest() accepted: runs no plugin code, and the
  // result has no library.
  Result<LoadedPlugin> check(const std::filesystem::path& dir, const Manifest& manifest) const;
  // Steps 2 to 8 for a manifest readManifest() accepted.
  Result<LoadedPlugin> load(const std::filesystem::path& dir, const Manifest& manifest) const;

 private:
  SchemaValidator manifest_schema_;
};

}  // namespace switchboard::core
