// The memory backend takes no settings: {} is valid, anything else is rejected.
#include <gtest/gtest.h>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;

TEST(MemoryStorageConfig, EmptyConfigIsValid) {
  auto store = loadPluginForTest<StorageBackend>("storage", "memory", "{}");
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_EQ((*store)->lastEventId().value(), 0);
}

TEST(MemoryStorageConfig, UnknownKeysAndNonObjectsAreRejected) {
  for (const char* config : {R"({"path":"x"})", R"({"capacity":10})", "[]", "\"memory\""}) {
    auto store = loadPluginForTest<StorageBackend>("storage", "memory", config);
    ASSERT_FALSE(store.ok()) << config;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << config;
  }
}

}  // namespace
}  // namespace switchboard::plugins
