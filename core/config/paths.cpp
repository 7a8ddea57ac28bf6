#include "core/config/paths.hpp"

#include <system_error>

namespace switchboard::core {

std::filesystem::path executableDir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path();
}

std::optional<std::filesystem::path> bundledPluginDir(const std::filesystem::path& exe_dir) {
  if (exe_dir.empty()) return std::nullopt;
  std::error_code ec;
  std::filesystem::path build_tree = exe_dir / "plugins";
  if (std::filesystem::is_directory(build_tree, ec)) return build_tree;
  std::filesystem::path installed =
      (exe_dir / ".." / SWITCHBOARD_INSTALL_PLUGIN_DIR).lexically_normal();
  if (std::filesystem::is_directory(installed, ec)) return installed;
  return std::nullopt;
}

std::filesystem::path schemaDir(const std::filesystem::path& exe_dir) {
  std::error_code ec;
  if (!exe_dir.empty()) {
    std::filesystem::path installed =
        (exe_dir / ".." / SWITCHBOARD_INSTALL_SCHEMA_DIR).lexically_normal();
    if (std::filesystem::exists(installed / "config.schema.json", ec)) return installed;
  }
  return std::filesystem::path(SWITCHBOARD_SOURCE_SCHEMA_DIR);
}

}  // namespace switchboard::core
