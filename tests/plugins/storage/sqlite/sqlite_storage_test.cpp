// SqliteStorage beyond the shared contract: schema versioning, WAL, and how SQLite errors
// become Status codes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"
#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;
using testing::TempDirForTest;

Result<std::shared_ptr<StorageBackend>> openAt(const std::string& path,
                                               const std::string& extra = "") {
  return loadPluginForTest<StorageBackend>("storage", "sqlite",
                                           R"({"path":")" + path + "\"" + extra + "}");
}

// Runs one statement on a raw connection and returns the first column of the first row.
std::string query(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string out = "<error>";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    } else if (rc == SQLITE_DONE) {
      out = "";
    }
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(SqliteStorage, NewDatabaseIsMigratedAndInWalMode) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "s.db").string();
  ASSERT_TRUE(openAt(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(query(db, "PRAGMA user_version"), "1");
  EXPECT_EQ(query(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query(db,
                  "SELECT count(*) FROM sqlite_master WHERE name IN "
                  "('records','steps','events','steps_by_seq')"),
            "4");
  sqlite3_close(db);
  ASSERT_TRUE(openAt(path).ok());  // reopening an up-to-date file migrates nothing
}

TEST(SqliteStorage, NewerSchemaIsRefused) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "new.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(query(db, "PRAGMA user_version = 99"), "");
  sqlite3_close(db);
  auto store = openAt(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("99"), std::string::npos);
}

TEST(SqliteStorage, FileThatIsNotADatabaseIsDataLoss) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "junk.db").string();
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "this is not a database file. ";
  }
  auto store = openAt(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss) << store.status().toString();
}

TEST(SqliteStorage, UnopenablePathIsUnavailable) {
  TempDirForTest dir;
  std::filesystem::create_directories(dir.path() / "a_directory.db");
  auto store = openAt((dir.path() / "a_directory.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable) << store.status().toString();
}

TEST(SqliteStorage, LockedDatabaseIsUnavailableThenRecovers) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "busy.db").string();
  auto store = openAt(path, R"(,"busy_timeout_ms":0)");
  ASSERT_TRUE(store.ok()) << store.status().toString();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(query(other, "BEGIN IMMEDIATE"), "");

  WriteBatch batch;
  batch.puts.push_back({"c", "1", "{}"});
  batch.events.push_back({1, "t", "{}"});
  Status status = (*store)->apply(batch);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.toString();
  EXPECT_FALSE((*store)->get("c", "1")->has_value());

  ASSERT_EQ(query(other, "COMMIT"), "");
  sqlite3_close(other);
  EXPECT_TRUE((*store)->apply(batch).ok());
  EXPECT_EQ((*store)->lastEventId().value(), 1);
}

TEST(SqliteStorage, ConcurrentFirstOpensMigrateOnce) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "race.db").string();
  std::vector<std::thread> threads;
  std::vector<Status> statuses(4);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] { statuses[i] = openAt(path).status(); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.toString();
}

TEST(SqliteStorage, TwoInstancesOnOneFileSeeEachOthersCommits) {
  TempDirForTest dir;
  const std::string path = (dir.path() / "shared.db").string();
  auto first = openAt(path);
  auto second = openAt(path);
  ASSERT_TRUE(first.ok() && second.ok());
  WriteBatch batch;
  batch.events.push_back({1, "t", "{}"});
  ASSERT_TRUE((*first)->apply(batch).ok());
  // The second writer's stale id is detected inside its own transaction.
  EXPECT_EQ((*second)->apply(batch).code(), StatusCode::kAborted);
  EXPECT_EQ((*second)->lastEventId().value(), 1);
}

}  // namespace
}  // namespace switchboard::plugins
