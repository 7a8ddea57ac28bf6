// SqliteSchema: the database schema as an ordered list of migrations, and the code that
// brings a database up to the newest one.
//
// Migration i (1-based) turns a database with PRAGMA user_version = i-1 into version i.
// Each runs in its own transaction (BEGIN IMMEDIATE ... COMMIT) together with the update of
// user_version, so a crash mid-migration leaves the previous version intact. Migrations
// are append-only: never edit a released one, add a new one.
//
// Not thread-safe: called once while the storage opens, before anything else uses `db`.
#pragma once

#include <sqlite3.h>

#include <cstdint>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

class SqliteSchema {
 public:
  // The version a fully migrated database has.
  static std::int64_t latestVersion();
  // Applies every missing migration. FailedPrecondition when the database is newer than
  // this plugin knows; DataLoss or Unavailable when SQLite cannot read or write it.
  static Status migrate(sqlite3* db);
  // The database's PRAGMA user_version.
  static Result<std::int64_t> version(sqlite3* db);
};

}  // namespace switchboard::plugins
