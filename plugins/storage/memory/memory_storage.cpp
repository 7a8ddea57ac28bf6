#include "plugins/storage/memory/memory_storage.hpp"

#include <algorithm>
#include <exception>
#include <set>

namespace switchboard::plugins {
namespace {

// The contract's rules for a well-formed batch; `last_event_id` is the largest stored id.
Status validateBatch(const WriteBatch& batch, std::int64_t last_event_id) {
  std::set<std::pair<std::string_view, std::string_view>> put_keys;
  for (const Record& record : batch.puts) {
    if (record.collection.empty() || record.id.empty()) {
      return Status::invalidArgument("record with an empty collection or id");
    }
    if (record.json.empty()) {
      return Status::invalidArgument("record " + record.collection + "/" + record.id +
                                     " has empty json");
    }
    put_keys.emplace(record.collection, record.id);
  }
  for (const RecordKey& key : batch.erases) {
    if (key.collection.empty() || key.id.empty()) {
      return Status::invalidArgument("erase with an empty collection or id");
    }
    if (put_keys.count({key.collection, key.id}) != 0) {
      return Status::invalidArgument("record " + key.collection + "/" + key.id +
                                     " is both put and erased in one batch");
    }
  }
  for (const StepRecord& step : batch.steps) {
    if (step.execution_id.empty() || step.key.empty()) {
      return Status::invalidArgument("step with an empty execution_id or key");
    }
    if (step.json.empty()) {
      return Status::invalidArgument("step " + step.execution_id + "/" + step.key +
                                     " has empty json");
    }
  }
  std::int64_t previous = last_event_id;
  for (const EventRecord& event : batch.events) {
    if (event.id <= 0 || event.topic.empty() || event.json.empty()) {
      return Status::invalidArgument("event " + std::to_string(event.id) +
                                     " needs a positive id, a topic and json");
    }
    if (event.id <= previous) {
      if (previous == last_event_id) {
        return Status::aborted("event id " + std::to_string(event.id) +
                               " is not greater than the last stored id " +
                               std::to_string(last_event_id));
      }
      return Status::invalidArgument("event ids within a batch must increase (" +
                                     std::to_string(event.id) + " after " +
                                     std::to_string(previous) + ")");
    }
    previous = event.id;
  }
  return Status();
}

}  // namespace

Status MemoryStorage::apply(const WriteBatch& batch) {
  try {
    std::lock_guard lock(mutex_);
    SB_RETURN_IF_ERROR(validateBatch(batch, events_.empty() ? 0 : events_.back().id));
    for (const Record& record : batch.puts) {
      auto collection = records_.find(record.collection);
      if (collection == records_.end()) {
        collection = records_.emplace(record.collection, std::map<std::string, std::string>()).first;
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
