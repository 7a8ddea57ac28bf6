// Storage plugins: the only way the gateway persists state.
//
// The model is deliberately small: named collections of JSON records keyed by id
// (agents, tasks, executions, ...), a journal of steps per execution, and one global
// stream of events with monotonically increasing ids. All writes go through apply(),
// which commits a WriteBatch atomically: after a crash either all of a batch is visible
// or none of it. Once apply() returns OK the batch is durable to the degree the backend
// documents (sqlite: survives kill -9 of the gateway).
//
// Ownership: the host owns the backend. Thread safety: every method may be called from
// any thread concurrently; the backend serialises internally as it needs. Methods must
// not throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/plugin.hpp"
#include "switchboard/status.hpp"

namespace switchboard {

struct Record {
  std::string collection;
  std::string id;
  std::string json;
};

struct RecordKey {
  std::string collection;
  std::string id;
};

// One step of an execution's journal, stored by (execution_id, key): a later write with
// the same pair replaces the earlier one. `seq` orders the journal; the engine gives a
// step a new, larger seq each time its state changes, so ordering by seq is the order in
// which steps settled.
struct StepRecord {
  std::string execution_id;
  std::string key;
  std::int64_t seq = 0;
  std::string json;
};

struct EventRecord {
  std::int64_t id = 0;  // assigned by the writer, strictly increasing
  std::string topic;    // e.g. "execution/ex_12"
  std::string json;
};

struct WriteBatch {
  std::vector<Record> puts;
  std::vector<RecordKey> erases;
  std::vector<StepRecord> steps;
  std::vector<EventRecord> events;
  bool empty() const { return puts.empty() && erases.empty() && steps.empty() && events.empty(); }
};

class StorageBackend : public PluginObject {
 public:
  static constexpr PluginKind kKind = PluginKind::kStorage;

  // Commits the batch atomically. Unavailable or DataLoss when the store cannot write.
  virtual Status apply(const WriteBatch& batch) = 0;
  // The record, or nullopt when absent.
  virtual Result<std::optional<std::string>> get(const std::string& collection,
                                                 const std::string& id) = 0;
  // Up to `limit` records of a collection with id > after_id, ordered by id.
  virtual Result<std::vector<Record>> list(const std::string& collection,
                                           const std::string& after_id, std::int64_t limit) = 0;
  // The whole journal of one execution, ordered by seq.
  virtual Result<std::vector<StepRecord>> steps(const std::string& execution_id) = 0;
  // Up to `limit` events with id > after_id, ordered by id; topic_prefix filters when set.
  virtual Result<std::vector<EventRecord>> events(std::int64_t after_id, std::int64_t limit,
                                                  const std::string& topic_prefix) = 0;
  // The largest event id stored, 0 when none.
  virtual Result<std::int64_t> lastEventId() = 0;
};

}  // namespace switchboard
