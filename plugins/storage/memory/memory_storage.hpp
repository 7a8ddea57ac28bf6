// MemoryStorage: a StorageBackend that keeps everything in process memory.
//
// Records live in one ordered map per collection, each execution's journal in a map keyed
// by step key plus an index ordered by (seq, key), and events in a vector ordered by id.
// apply() validates the whole batch first (see validateBatch in the .cpp: empty names,
// empty JSON, event ids that do not increase, a key both put and erased) and then applies
// it under the mutex, so a batch is visible all at once or not at all. Nothing survives the
// process: use it for tests and ephemeral gateways.
//
// Thread safety: every method may be called from any thread; one mutex serialises them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "switchboard/storage.hpp"

namespace switchboard::plugins {

class MemoryStorage : public StorageBackend {
 public:
  MemoryStorage() = default;

  // InvalidArgument (a malformed element) or Aborted (an event id not greater than the
  // last stored one); in both cases nothing of the batch is applied.
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
  struct Journal {
    std::unordered_map<std::string, StepRecord> by_key;
    std::map<std::pair<std::int64_t, std::string>, const StepRecord*> by_seq;
  };

  std::mutex mutex_;
  std::map<std::string, std::map<std::string, std::string>, std::less<>> records_;
  std::unordered_map<std::string, Journal> journals_;
  std::vector<EventRecord> events_;  // strictly increasing ids
};

}  // namespace switchboard::plugins
