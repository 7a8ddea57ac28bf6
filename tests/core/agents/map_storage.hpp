// MapStorage: a StorageBackend over std::map for the agent and task service tests, with a
// switch that makes writes fail. The real memory and sqlite plugins are tested against
// the services in the *_store_test.cpp files.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "switchboard/storage.hpp"

namespace switchboard::testing {

class MapStorage final : public StorageBackend {
 public:
  Status apply(const WriteBatch& batch) override {
    if (fail_writes) return Status::unavailable("writes disabled by the test");
    std::lock_guard lock(mu_);
    ++applies_;
    for (const Record& r : batch.puts) records_[{r.collection, r.id}] = r.json;
    for (const RecordKey& k : batch.erases) records_.erase({k.collection, k.id});
    return Status();
  }
  Result<std::optional<std::string>> get(const std::string& collection,
                                         const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = records_.find({collection, id});
    if (it == records_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::vector<Record>> list(const std::string& collection, const std::string& after_id,
                                   std::int64_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<Record> out;
    for (auto it = records_.upper_bound({collection, after_id});
         it != records_.end() && it->first.first == collection &&
         static_cast<std::int64_t>(out.size()) < limit;
         ++it) {
      out.push_back({collection, it->first.second, it->second});
    }
    return out;
  }
  Result<std::vector<StepRecord>> steps(const std::string&) override {
    return std::vector<StepRecord>();
  }
  Result<std::vector<EventRecord>> events(std::int64_t, std::int64_t, const std::string&) override {
    return std::vector<EventRecord>();
  }
  Result<std::int64_t> lastEventId() override { return std::int64_t{0}; }

  std::size_t count(const std::string& collection) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [key, json] : records_) n += key.first == collection ? 1 : 0;
    return n;
  }
  std::int64_t applies() {
    std::lock_guard lock(mu_);
    return applies_;
  }
  void putRaw(const std::string& collection, const std::string& id, const std::string& json) {
    std::lock_guard lock(mu_);
    records_[{collection, id}] = json;
  }

  std::atomic<bool> fail_writes{false};

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::string> records_;
  std::int64_t applies_ = 0;
};

}  // namespace switchboard::testing
