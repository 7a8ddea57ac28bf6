#include "plugins/storage/sqlite/sqlite_schema.hpp"

#include <iterator>
#include <string>

#include "plugins/storage/sqlite/sqlite_statement.hpp"

namespace switchboard::plugins {
namespace {

// kMigrations[i] takes the schema from version i to version i + 1.
constexpr const char* kMigrations[] = {
    // 1: records, the step journal and the event stream.
    "CREATE TABLE records ("
    "  collection TEXT NOT NULL,"
    "  id TEXT NOT NULL,"
    "  json TEXT NOT NULL,"
    "  PRIMARY KEY (collection, id));"
    "CREATE TABLE steps ("
    "  execution_id TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  json TEXT NOT NULL,"
    "  PRIMARY KEY (execution_id, key));"
    "CREATE INDEX steps_by_seq ON steps (execution_id, seq);"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  topic TEXT NOT NULL,"
    "  json TEXT NOT NULL);",
};

Status exec(sqlite3* db, const std::string& sql, const char* what) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  return sqliteStatus(rc, db, what);
}

}  // namespace

std::int64_t SqliteSchema::latestVersion() {
  return static_cast<std::int64_t>(std::size(kMigrations));
}

Result<std::int64_t> SqliteSchema::version(sqlite3* db) {
  SqliteStatement statement;
  SB_RETURN_IF_ERROR(statement.prepare(db, "PRAGMA user_version"));
  const int rc = statement.step();
  if (rc != SQLITE_ROW) return sqliteStatus(rc, db, "reading the schema version");
  return statement.columnInt64(0);
}

Status SqliteSchema::migrate(sqlite3* db) {
  // The version is read inside the write transaction, so two processes opening a new file
  // at once never both apply the same migration.
  while (true) {
    SB_RETURN_IF_ERROR(exec(db, "BEGIN IMMEDIATE", "migrating the schema"));
    Result<std::int64_t> current = version(db);
    Status status = current.status();
    if (status.ok() && *current > latestVersion()) {
      status = Status::failedPrecondition("database schema version " + std::to_string(*current) +
                                          " is newer than this plugin supports (" +
                                          std::to_string(latestVersion()) +
                                          "); use a newer switchboard");
    }
    if (status.ok() && *current == latestVersion()) return exec(db, "COMMIT", "migrating");
    if (status.ok()) {
      const std::int64_t next = *current + 1;
      const std::string what = "migrating the schema to version " + std::to_string(next);
      status = exec(db, kMigrations[next - 1], what.c_str());
      if (status.ok()) {
        status = exec(db, "PRAGMA user_version = " + std::to_string(next), what.c_str());
      }
      if (status.ok()) status = exec(db, "COMMIT", what.c_str());
    }
    if (!status.ok()) {
      if (!sqlite3_get_autocommit(db)) (void)exec(db, "ROLLBACK", "migrating the schema");
      return status;
    }
  }
}

}  // namespace switchboard::plugins
