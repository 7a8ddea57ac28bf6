#include "core/config/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace switchboard::core {
namespace {

std::filesystem::path freshDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(Paths, ExecutableDirIsThisTestsFolder) {
  EXPECT_TRUE(std::filesystem::exists(executableDir()));
}

TEST(Paths, BuildTreePluginsFolderFirst) {
  std::filesystem::path root = freshDir("sb_paths_build");
  std::filesystem::create_directories(root / "plugins");
  EXPECT_EQ(bundledPluginDir(root), root / "plugins");
}

TEST(Paths, InstalledLayout) {
  std::filesystem::path prefix = freshDir("sb_paths_install");
  std::filesystem::create_directories(prefix / "bin");
  EXPECT_FALSE(bundledPluginDir(prefix / "bin").has_value());
  std::filesystem::create_directories(prefix / SWITCHBOARD_INSTALL_PLUGIN_DIR);
  EXPECT_EQ(bundledPluginDir(prefix / "bin"), prefix / SWITCHBOARD_INSTALL_PLUGIN_DIR);

  EXPECT_EQ(schemaDir(prefix / "bin"), std::filesystem::path(SWITCHBOARD_SOURCE_SCHEMA_DIR));
  std::filesystem::create_directories(prefix / SWITCHBOARD_INSTALL_SCHEMA_DIR);
  std::ofstream(prefix / SWITCHBOARD_INSTALL_SCHEMA_DIR / "config.schema.json") << "{}";
  EXPECT_EQ(schemaDir(prefix / "bin"), prefix / SWITCHBOARD_INSTALL_SCHEMA_DIR);
}

}  // namespace
}  // namespace switchboard::core
