#include "plugins/support/storage_batch.hpp"

#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::plugins {

Status validateWriteBatch(const WriteBatch& batch, std::int64_t last_event_id) {
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

}  // namespace switchboard::plugins
