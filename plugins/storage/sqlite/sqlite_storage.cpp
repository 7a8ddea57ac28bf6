#include "plugins/storage/sqlite/sqlite_storage.hpp"

#include <exception>
#include <string_view>
#include <utility>

#include "plugins/storage/sqlite/sqlite_schema.hpp"
#include "plugins/support/storage_batch.hpp"

namespace switchboard::plugins {
namespace {

// Resets a cached statement when the scope ends, so no read stays open.
class ResetOnExit {
 public:
  explicit ResetOnExit(SqliteStatement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  SqliteStatement& statement_;
};

Status execSql(sqlite3* db, const char* sql, std::string_view what) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  return sqliteStatus(rc, db, what);
}

}  // namespace

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const Options& options) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(options.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = sqliteStatus(rc, db, "opening " + options.path);
    sqlite3_close_v2(db);
    return status;
  }
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // The first statement reads the file header: a file that is not a database fails here.
  SqliteStatement wal;
  SB_RETURN_IF_ERROR(wal.prepare(db, "PRAGMA journal_mode = WAL").withContext(options.path));
  const int wal_rc = wal.step();
  if (wal_rc != SQLITE_ROW) return sqliteStatus(wal_rc, db, "enabling WAL on " + options.path);
  const std::string mode = wal.columnText(0);
  wal.reset();
  if (mode != "wal" && options.path != ":memory:") {
    return Status::unavailable("cannot enable WAL on " + options.path + " (journal mode " + mode +
                               ")");
  }
  SB_RETURN_IF_ERROR(execSql(
      db, options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
      "setting synchronous"));
  SB_RETURN_IF_ERROR(SqliteSchema::migrate(db).withContext(options.path));
  SB_RETURN_IF_ERROR(storage->prepareStatements());
  return storage;
}

SqliteStorage::~SqliteStorage() {
  // Statements (members) are finalized after this; close_v2 waits for them.
  sqlite3_close_v2(db_);
}

Status SqliteStorage::prepareStatements() {
  SB_RETURN_IF_ERROR(begin_.prepare(db_, "BEGIN IMMEDIATE"));
  SB_RETURN_IF_ERROR(commit_.prepare(db_, "COMMIT"));
  SB_RETURN_IF_ERROR(rollback_.prepare(db_, "ROLLBACK"));
  SB_RETURN_IF_ERROR(max_event_.prepare(db_, "SELECT coalesce(max(id), 0) FROM events"));
  SB_RETURN_IF_ERROR(
      put_record_.prepare(db_,
                          "INSERT INTO records (collection, id, json) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (collection, id) DO UPDATE SET json = excluded.json"));
  SB_RETURN_IF_ERROR(
      erase_record_.prepare(db_, "DELETE FROM records WHERE collection = ?1 AND id = ?2"));
  SB_RETURN_IF_ERROR(put_step_.prepare(
      db_,
      "INSERT INTO steps (execution_id, key, seq, json) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (execution_id, key) DO UPDATE SET seq = excluded.seq, json = excluded.json"));
  SB_RETURN_IF_ERROR(
      put_event_.prepare(db_, "INSERT INTO events (id, topic, json) VALUES (?1, ?2, ?3)"));
  SB_RETURN_IF_ERROR(
      get_record_.prepare(db_, "SELECT json FROM records WHERE collection = ?1 AND id = ?2"));
  SB_RETURN_IF_ERROR(list_records_.prepare(
      db_, "SELECT id, json FROM records WHERE collection = ?1 AND id > ?2 ORDER BY id LIMIT ?3"));
  SB_RETURN_IF_ERROR(list_steps_.prepare(
      db_, "SELECT key, seq, json FROM steps WHERE execution_id = ?1 ORDER BY seq, key"));
  SB_RETURN_IF_ERROR(
      list_events_.prepare(db_,
                           "SELECT id, topic, json FROM events WHERE id > ?1 "
                           "AND substr(topic, 1, length(?2)) = ?2 ORDER BY id LIMIT ?3"));
  return Status();
}

Status SqliteStorage::apply(const WriteBatch& batch) {
  if (batch.empty()) return Status();
  try {
    std::lock_guard lock(mutex_);
    SB_RETURN_IF_ERROR(begin_.run("BEGIN IMMEDIATE"));
    Status status = applyLocked(batch);
    if (status.ok()) status = commit_.run("COMMIT");
    if (!status.ok() && !sqlite3_get_autocommit(db_)) (void)rollback_.run("ROLLBACK");
    return status;
  } catch (const std::exception& e) {
    return Status::internal(std::string("sqlite storage: ") + e.what());
  }
}

Status SqliteStorage::applyLocked(const WriteBatch& batch) {
  Result<std::int64_t> last = lastEventIdLocked();
  if (!last.ok()) return last.status();
  SB_RETURN_IF_ERROR(validateWriteBatch(batch, *last));
  for (const Record& record : batch.puts) {
    put_record_.bindText(1, record.collection);
    put_record_.bindText(2, record.id);
    put_record_.bindText(3, record.json);
    SB_RETURN_IF_ERROR(put_record_.run("writing a record"));
  }
  for (const RecordKey& key : batch.erases) {
    erase_record_.bindText(1, key.collection);
    erase_record_.bindText(2, key.id);
    SB_RETURN_IF_ERROR(erase_record_.run("erasing a record"));
  }
  for (const StepRecord& step : batch.steps) {
    put_step_.bindText(1, step.execution_id);
    put_step_.bindText(2, step.key);
    put_step_.bindInt64(3, step.seq);
    put_step_.bindText(4, step.json);
    SB_RETURN_IF_ERROR(put_step_.run("writing a step"));
  }
  for (const EventRecord& event : batch.events) {
    put_event_.bindInt64(1, event.id);
    put_event_.bindText(2, event.topic);
    put_event_.bindText(3, event.json);
    SB_RETURN_IF_ERROR(put_event_.run("writing an event"));
  }
  return Status();
}

Result<std::int64_t> SqliteStorage::lastEventIdLocked() {
  ResetOnExit reset(max_event_);
  const int rc = max_event_.step();
  if (rc != SQLITE_ROW) return sqliteStatus(rc, db_, "reading the last event id");
  return max_event_.columnInt64(0);
}

Result<std::int64_t> SqliteStorage::lastEventId() {
  std::lock_guard lock(mutex_);
  return lastEventIdLocked();
}

Result<std::optional<std::string>> SqliteStorage::get(const std::string& collection,
                                                      const std::string& id) {
  std::lock_guard lock(mutex_);
  ResetOnExit reset(get_record_);
  get_record_.bindText(1, collection);
  get_record_.bindText(2, id);
  const int rc = get_record_.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return sqliteStatus(rc, db_, "reading a record");
  return std::optional<std::string>(get_record_.columnText(0));
}

Result<std::vector<Record>> SqliteStorage::list(const std::string& collection,
                                                const std::string& after_id, std::int64_t limit) {
  if (limit < 0) return Status::invalidArgument("limit must not be negative");
  std::vector<Record> out;
  std::lock_guard lock(mutex_);
  ResetOnExit reset(list_records_);
  list_records_.bindText(1, collection);
  list_records_.bindText(2, after_id);
  list_records_.bindInt64(3, limit);
  int rc;
  while ((rc = list_records_.step()) == SQLITE_ROW) {
    out.push_back(Record{collection, list_records_.columnText(0), list_records_.columnText(1)});
  }
  if (rc != SQLITE_DONE) return sqliteStatus(rc, db_, "listing records");
  return out;
}

Result<std::vector<StepRecord>> SqliteStorage::steps(const std::string& execution_id) {
  std::vector<StepRecord> out;
  std::lock_guard lock(mutex_);
  ResetOnExit reset(list_steps_);
  list_steps_.bindText(1, execution_id);
  int rc;
  while ((rc = list_steps_.step()) == SQLITE_ROW) {
    out.push_back(StepRecord{execution_id, list_steps_.columnText(0), list_steps_.columnInt64(1),
                             list_steps_.columnText(2)});
  }
  if (rc != SQLITE_DONE) return sqliteStatus(rc, db_, "reading the journal");
  return out;
}

Result<std::vector<EventRecord>> SqliteStorage::events(std::int64_t after_id, std::int64_t limit,
                                                       const std::string& topic_prefix) {
  if (limit < 0) return Status::invalidArgument("limit must not be negative");
  std::vector<EventRecord> out;
  std::lock_guard lock(mutex_);
  ResetOnExit reset(list_events_);
  list_events_.bindInt64(1, after_id);
  list_events_.bindText(2, topic_prefix);
  list_events_.bindInt64(3, limit);
  int rc;
  while ((rc = list_events_.step()) == SQLITE_ROW) {
    out.push_back(EventRecord{list_events_.columnInt64(0), list_events_.columnText(1),
                              list_events_.columnText(2)});
  }
  if (rc != SQLITE_DONE) return sqliteStatus(rc, db_, "reading events");
  return out;
}

}  // namespace switchboard::plugins
