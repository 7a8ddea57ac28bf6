// The sqlite backend's instance config: validated against plugins/storage/sqlite/
// config.schema.json before create (unknown keys rejected), defaults applied by the factory.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"
#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;
using testing::TempDirForTest;

Result<std::shared_ptr<StorageBackend>> load(const std::string& config,
                                             const std::filesystem::path& data_dir) {
  return loadPluginForTest<StorageBackend>("storage", "sqlite", config, data_dir);
}

TEST(SqliteStorageConfig, EmptyConfigUsesDataDirDefaultPath) {
  TempDirForTest dir;
  auto store = load("{}", dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "switchboard.db"));
}

TEST(SqliteStorageConfig, FullConfigIsAccepted) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "sub" / "x.db").string();
  auto store =
      load(R"({"path":")" + path + R"(","synchronous":"full","busy_timeout_ms":250})", dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteStorageConfig, RelativePathIsUnderDataDir) {
  TempDirForTest dir;
  auto store = load(R"({"path":"state/gw.db","synchronous":"normal"})", dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "gw.db"));
}

TEST(SqliteStorageConfig, MemoryPathKeepsNoFile) {
  TempDirForTest dir;
  auto store = load(R"({"path":":memory:"})", dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  WriteBatch batch;
  batch.puts.push_back({"c", "i", "{}"});
  EXPECT_TRUE((*store)->apply(batch).ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(SqliteStorageConfig, InvalidValuesAreRejected) {
  TempDirForTest dir;
  for (const char* config :
       {R"({"synchronous":"sometimes"})", R"({"busy_timeout_ms":-1})", R"({"busy_timeout_ms":"5"})",
        R"({"path":""})", R"({"path":7})", R"([])"}) {
    auto store = load(config, dir.path());
    ASSERT_FALSE(store.ok()) << config;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << config;
  }
}

TEST(SqliteStorageConfig, UnknownKeysAreRejected) {
  TempDirForTest dir;
  auto store = load(R"({"pth":"x.db"})", dir.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "switchboard.db"));
}

TEST(SqliteStorageConfig, NoPathAndNoDataDirIsAnError) {
  auto store = load("{}", {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("path"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::plugins
