#include "plugins/storage/memory/memory_storage.hpp"

#include <algorithm>
#include <exception>

#include "plugins/support/storage_batch.hpp"

namespace switchboard::plugins {

Status MemoryStorage::apply(const WriteBatch& batch) {
  try {
    std::lock_guard lock(mutex_);
    SB_RETURN_IF_ERROR(validateWriteBatch(batch, events_.empty() ? 0 : events_.back().id));
    for (const Record& record : batch.puts) {
      auto collection = records_.find(record.collection);
      if (collection == records_.end()) {
        collection =
            records_.emplace(record.collection, std::map<std::string, std::string>()).first;
      }
      collection->second[record.id] = record.json;
    }
    for (const RecordKey& key : batch.erases) {
      auto collection = records_.find(key.collection);
      if (collection == records_.end()) continue;
      collection->second.erase(key.id);
      if (collection->second.empty()) records_.erase(collection);
    }
    for (const StepRecord& step : batch.steps) {
      Journal& journal = journals_[step.execution_id];
      auto [it, inserted] = journal.by_key.try_emplace(step.key, step);
      if (!inserted) {
        journal.by_seq.erase({it->second.seq, it->second.key});
        it->second = step;
      }
      journal.by_seq.emplace(std::make_pair(step.seq, step.key), &it->second);
    }
    events_.insert(events_.end(), batch.events.begin(), batch.events.end());
    return Status();
  } catch (const std::exception& e) {
    // Only allocation can throw here; the batch may then be partly applied in memory.
    return Status::internal(std::string("memory storage: ") + e.what());
  }
}

Result<std::optional<std::string>> MemoryStorage::get(const std::string& collection,
                                                      const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = records_.find(collection);
  if (found == records_.end()) return std::optional<std::string>();
  auto record = found->second.find(id);
  if (record == found->second.end()) return std::optional<std::string>();
  return std::optional<std::string>(record->second);
}

Result<std::vector<Record>> MemoryStorage::list(const std::string& collection,
                                                const std::string& after_id, std::int64_t limit) {
  if (limit < 0) return Status::invalidArgument("limit must not be negative");
  std::vector<Record> out;
  std::lock_guard lock(mutex_);
  auto found = records_.find(collection);
  if (found == records_.end()) return out;
  for (auto it = found->second.upper_bound(after_id);
       it != found->second.end() && static_cast<std::int64_t>(out.size()) < limit; ++it) {
    out.push_back(Record{collection, it->first, it->second});
  }
  return out;
}

Result<std::vector<StepRecord>> MemoryStorage::steps(const std::string& execution_id) {
  std::vector<StepRecord> out;
  std::lock_guard lock(mutex_);
  auto found = journals_.find(execution_id);
  if (found == journals_.end()) return out;
  out.reserve(found->second.by_seq.size());
  for (const auto& [order, step] : found->second.by_seq) out.push_back(*step);
  return out;
}

Result<std::vector<EventRecord>> MemoryStorage::events(std::int64_t after_id, std::int64_t limit,
                                                       const std::string& topic_prefix) {
  if (limit < 0) return Status::invalidArgument("limit must not be negative");
  std::vector<EventRecord> out;
  std::lock_guard lock(mutex_);
  auto it = std::upper_bound(events_.begin(), events_.end(), after_id,
                             [](std::int64_t id, const EventRecord& e) { return id < e.id; });
  for (; it != events_.end() && static_cast<std::int64_t>(out.size()) < limit; ++it) {
    if (it->topic.compare(0, topic_prefix.size(), topic_prefix) == 0) out.push_back(*it);
  }
  return out;
}

Result<std::int64_t> MemoryStorage::lastEventId() {
  std::lock_guard lock(mutex_);
  return events_.empty() ? std::int64_t{0} : events_.back().id;
}

}  // namespace switchboard::plugins
