// In-test StorageBackends for the engine tests and benchmarks: MemoryStore (maps under a
// mutex, with write-failure injection) and SqliteStore (a real SQLite file in WAL mode,
// one transaction per apply()). They implement the SDK contract so the engine can be
// tested before, and independently of, the storage plugins.
// Thread safety: every method may be called from any thread.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "switchboard/storage.hpp"

namespace switchboard::testing {

class MemoryStore : public StorageBackend {
 public:
  Status apply(const WriteBatch& batch) override;
  Result<std::optional<std::string>> get(const std::string& collection,
                                         const std::string& id) override;
  Result<std::vector<Record>> list(const std::string& collection, const std::string& after_id,
                                   std::int64_t limit) override;
  Result<std::vector<StepRecord>> steps(const std::string& execution_id) override;
  Result<std::vector<EventRecord>> events(std::int64_t after_id, std::int64_t limit,
                                          const std::string& topic_prefix) override;
  Result<std::int64_t> lastEventId() override;

  std::atomic<bool> fail_writes{false};
  std::atomic<std::int64_t> batches{0};

 private:
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> records_;
  std::unordered_map<std::string, std::unordered_map<std::string, StepRecord>> steps_;
  std::vector<EventRecord> events_;
};

class SqliteStore : public StorageBackend {
 public:
  ~SqliteStore() override;
  // Opens (creating) the file; `synchronous` is the PRAGMA value (NORMAL or FULL).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const std::string& synchronous = "NORMAL");

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
  SqliteStore() = default;
  Status exec(const char* sql);
  Status error(const char* what);
  std::mutex mu_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* erase_ = nullptr;
  sqlite3_stmt* step_ = nullptr;
  sqlite3_stmt* event_ = nullptr;
};

}  // namespace switchboard::testing
