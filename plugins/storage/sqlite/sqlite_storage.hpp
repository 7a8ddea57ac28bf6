// SqliteStorage: the default StorageBackend, one SQLite file in WAL mode.
//
// Tables: records(collection, id, json) keyed by (collection, id); steps(execution_id, key,
// seq, json) keyed by (execution_id, key) with an index on (execution_id, seq); events(id,
// topic, json) keyed by id. The schema is versioned with PRAGMA user_version (SqliteSchema).
// apply() runs one BEGIN IMMEDIATE ... COMMIT transaction holding every element of the
// batch, so after a crash a batch is entirely present or entirely absent. Durability:
// synchronous "normal" (the default) survives kill -9 of the process; "full" also survives
// power loss or an OS crash.
//
// Ownership: owns one connection and its cached prepared statements.
// Thread safety: every method may be called from any thread; one mutex serialises the
// connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/storage/sqlite/sqlite_statement.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::plugins {

class SqliteStorage : public StorageBackend {
 public:
  struct Options {
    std::string path;               // file, or ":memory:"
    bool synchronous_full = false;  // PRAGMA synchronous = FULL instead of NORMAL
    int busy_timeout_ms = 5000;
  };

  // Opens (creating when absent) and migrates the database. Unavailable when the file
  // cannot be opened, DataLoss when it is not a database or is corrupt, FailedPrecondition
  // when its schema is newer than this plugin.
  static Result<std::unique_ptr<SqliteStorage>> open(const Options& options);
  ~SqliteStorage() override;
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;

  // InvalidArgument or Aborted as the storage contract says (nothing applied);
  // Unavailable (busy, disk full, I/O error) or DataLoss (corrupt file) from SQLite.
  Status apply(const WriteBatch& batch) override;
  Result<std::optional<std::string>> get(const std::string& collection,
                                         const std::string& id) override;
  Result<std::vector<Record>> list(const std::string& collection, const std::string& after_id,
                                   std::int64_t limit) override;
  Result<std::vector<StepRecord>> steps(const std::string& execution_id) override;
  Result<std::vector<EventRecord>> events(std::int64_t after_id, std::int64_t limit,
                                          const std::string& topic_prefix) override;
  Result<std::int64_t> lastEventId() override;

 private:
  explicit SqliteStorage(sqlite3* db) : db_(db) {}
  Status prepareStatements();
  Status applyLocked(const WriteBatch& batch);
  Result<std::int64_t> lastEventIdLocked();

  std::mutex mutex_;
  sqlite3* db_;
  SqliteStatement begin_, commit_, rollback_, max_event_;
  SqliteStatement put_record_, erase_record_, put_step_, put_event_;
  SqliteStatement get_record_, list_records_, list_steps_, list_events_;
};

}  // namespace switchboard::plugins
