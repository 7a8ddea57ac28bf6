#include "plugins/storage/sqlite/sqlite_statement.hpp"

namespace switchboard::plugins {

Status sqliteStatus(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status();
  std::string message = std::string(what) + ": " + sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errcode(db) == rc) {
    message += std::string(" (") + sqlite3_errmsg(db) + ")";
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return Status::unavailable(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::dataLoss(message);
    default:
      return Status::internal(message);
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

Status SqliteStatement::prepare(sqlite3* db, std::string_view sql) {
  db_ = db;
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  return sqliteStatus(rc, db, "prepare");
}

void SqliteStatement::bindText(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bindInt64(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

int SqliteStatement::step() { return sqlite3_step(stmt_); }

Status SqliteStatement::run(std::string_view what) {
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = step();
  Status status = sqliteStatus(rc, db_, what);
  reset();
  return status;
}

std::string SqliteStatement::columnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (text == nullptr) return std::string();
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::int64_t SqliteStatement::columnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

}  // namespace switchboard::plugins
