// Paths: where the running binary finds its bundled plugins and its JSON Schemas.
//
// In the build tree the binary sits next to <build>/plugins and the schemas are read from
// the source tree (SWITCHBOARD_SOURCE_SCHEMA_DIR). Installed, the binary is <prefix>/bin/
// switchboard, plugins are in <prefix>/SWITCHBOARD_INSTALL_PLUGIN_DIR and schemas in
// <prefix>/SWITCHBOARD_INSTALL_SCHEMA_DIR. Everything is found relative to
// /proc/self/exe, so an installed tree can be moved.
//
// Thread safety: free functions without shared state.
#pragma once

#include <filesystem>
#include <optional>

namespace switchboard::core {

// Folder of the running executable (/proc/self/exe), or empty when it cannot be read.
std::filesystem::path executableDir();

// The bundled plugin folder for an executable in `exe_dir`: <exe_dir>/plugins if it exists,
// else <exe_dir>/../<install plugin dir> if it exists, else nullopt.
std::optional<std::filesystem::path> bundledPluginDir(const std::filesystem::path& exe_dir);

// The schemas folder: <exe_dir>/../<install schema dir> when it holds config.schema.json,
// else the source tree's schemas/ folder.
std::filesystem::path schemaDir(const std::filesystem::path& exe_dir);

}  // namespace switchboard::core
