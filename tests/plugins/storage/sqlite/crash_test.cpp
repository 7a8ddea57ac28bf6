// kill -9 in the middle of writing: every batch must be all-or-nothing afterwards, and the
// file must pass PRAGMA integrity_check. The writer is a separate process (crash_writer).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"
#include "tests/plugins/support/temp_dir.hpp"

extern char** environ;

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;

std::string integrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string out = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

std::shared_ptr<StorageBackend> openStore(const std::string& path) {
  auto store =
      loadPluginForTest<StorageBackend>("storage", "sqlite", R"({"path":")" + path + "\"}");
  EXPECT_TRUE(store.ok()) << store.status().toString();
  return store.ok() ? *store : nullptr;
}

// Checks that batches 1..last are complete and nothing of a later batch exists.
void expectAllOrNothing(StorageBackend& store, std::int64_t last) {
  auto records = store.list("crash", "", 1 << 30);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(static_cast<std::int64_t>(records->size()), last * 10);
  auto steps = store.steps("ex");
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(static_cast<std::int64_t>(steps->size()), last);
  for (std::int64_t i = 0; i < last; ++i) EXPECT_EQ((*steps)[i].seq, i + 1);
  auto events = store.events(0, 1 << 30, "crash");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(static_cast<std::int64_t>(events->size()), last);
  for (std::int64_t i = 1; i <= last; ++i) {
    for (int r = 0; r < 10; r += 9) {
      const std::string id = "b" + std::to_string(i) + "-r" + std::to_string(r);
      EXPECT_TRUE(store.get("crash", id)->has_value()) << id;
    }
  }
}

TEST(SqliteStorageCrash, KillNineLeavesEveryBatchAllOrNothing) {
  testing::TempDirForTest dir;
  const std::string path = (dir.path() / "crash.db").string();
  std::mt19937 random(20261122);
  std::int64_t last = 0;
  for (int round = 0; round < 5; ++round) {
    const std::string first = std::to_string(last + 1);
    char* argv[] = {const_cast<char*>(SQLITE_CRASH_WRITER), const_cast<char*>(path.c_str()),
                    const_cast<char*>(first.c_str()), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, SQLITE_CRASH_WRITER, nullptr, nullptr, argv, environ), 0);
    // Wait until the writer is really writing, then kill it at a random moment.
    {
      auto watcher = openStore(path);
      ASSERT_NE(watcher, nullptr);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (watcher->lastEventId().value() <= last &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 150)(random)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wait_status = 0;
    ASSERT_EQ(waitpid(pid, &wait_status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wait_status)) << "the writer exited on its own: " << wait_status;

    auto store = openStore(path);
    ASSERT_NE(store, nullptr);
    const std::int64_t now = store->lastEventId().value();
    EXPECT_GT(now, last) << "round " << round << " committed nothing";
    last = now;
    expectAllOrNothing(*store, last);
    store.reset();
    EXPECT_EQ(integrityCheck(path), "ok");
  }
}

}  // namespace
}  // namespace switchboard::plugins
