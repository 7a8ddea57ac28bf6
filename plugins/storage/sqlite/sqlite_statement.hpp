// SqliteStatement: one prepared SQLite statement, finalized on destruction; plus
// sqliteStatus(), the one place that turns SQLite result codes into Status.
//
// Bound text is not copied (SQLITE_STATIC): the caller keeps it alive until reset().
// Not thread-safe: the owner (SqliteStorage) serialises every use under its mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

// Unavailable for busy/locked/full/I-O/read-only errors, DataLoss for a corrupt file or one
// that is not a database, Internal otherwise. The message names `what` and SQLite's text.
Status sqliteStatus(int rc, sqlite3* db, std::string_view what);

class SqliteStatement {
 public:
  SqliteStatement() = default;
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Compiles `sql` on `db`; the status of sqlite3_prepare_v3 otherwise.
  Status prepare(sqlite3* db, std::string_view sql);

  void bindText(int index, std::string_view text);
  void bindInt64(int index, std::int64_t value);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Runs to completion; OK or the mapped error.
  Status run(std::string_view what);
  std::string columnText(int index) const;
  std::int64_t columnInt64(int index) const;
  // Resets the statement and clears its bindings (ends any read it holds open).
  void reset();

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace switchboard::plugins
