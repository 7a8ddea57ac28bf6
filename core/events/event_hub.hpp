// EventHub: numbers every state change, persists it with the change, and fans it out.
//
// An Event is {id, topic, type, data_json, time_ms}. Ids are strictly increasing across
// the process and continue after a restart from the store's lastEventId(). Topics are
// "agent/<id>", "task/<id>", "execution/<id>".
//
// Two ways to publish:
//  - commit() takes a WriteBatch with the state change and the events that describe it
//    (made with pending(), without ids yet), numbers the events, appends them to the batch,
//    applies it and delivers the events: one transaction, as in the engine's group commit.
//  - publish() commits one event that stands alone.
// Ids are assigned and applied under one lock, so the store always receives them in
// increasing order, whichever thread commits.
//
// Fan-out never blocks the publisher: deliver() only appends to each matching
// subscriber's bounded queue and wakes the hub's one delivery thread, which invokes the
// callbacks. A subscriber whose queue is full loses its oldest events; its next callback
// reports how many it missed, and it can catch up with history() by id.
//
// Ownership: the hub borrows the StorageBackend (may be null: no persistence, no
// history). Thread safety: every method may be called from any thread. Callbacks run on
// the delivery thread, never under a hub lock; they may call the hub (even unsubscribe).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::core {

struct Event {
  std::int64_t id = 0;
  std::string topic;
  std::string type;              // e.g. "execution.status", "step.settled"
  std::string data_json = "{}";  // the event's payload (a JSON object)
  std::int64_t time_ms = 0;      // wall clock, ms since the Unix epoch

  // {"id","topic","type","time_ms","data":{...}}
  std::string toJson() const;
  // Inverse of the stored form (EventRecord json = {"type","time_ms","data"}).
  static Result<Event> fromRecord(const EventRecord& record);
};

class EventHub {
 public:
  // Receives events in id order; `missed` counts events dropped for this subscriber
  // (queue overflow) just before the first event of this call.
  using Callback = std::function<void(const std::vector<Event>& events, std::uint64_t missed)>;

  explicit EventHub(StorageBackend* storage, std::size_t max_queue_per_subscriber = 65536);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Reads the last stored id so new ids continue after it. Errors from the store.
  Status open();

  // An event to commit later: no id yet, stamped with the current time.
  static Event pending(std::string topic, std::string type, std::string data_json);
  // Numbers `events`, appends them to `batch` (when the hub has a store), applies the batch
  // to `store` (skipped when null) and delivers the events. The store's error when apply
  // fails; then nothing is delivered and the ids are not reused.
  Status commit(StorageBackend* store, WriteBatch& batch, std::vector<Event> events);
  // commit() of one event on the hub's own store.
  Status publish(std::string topic, std::string type, std::string data_json);

  // Subscribes to topics starting with `topic_prefix` ("" = all). Returns the id for
  // unsubscribe().
  std::uint64_t subscribe(std::string topic_prefix, Callback callback);
  // After it returns, the callback is not running and will not run again.
  void unsubscribe(std::uint64_t subscription_id);

  // Stored events with id > after_id (up to `limit`), filtered by topic prefix.
  // FailedPrecondition without a store.
  Result<std::vector<Event>> history(std::int64_t after_id, std::int64_t limit,
                                     const std::string& topic_prefix) const;
  std::int64_t lastId() const { return next_id_.load() - 1; }

 private:
  struct Subscriber {
    std::string prefix;
    Callback callback;
    std::deque<Event> queue;
    std::uint64_t missed = 0;
  };
  void run();
  // Hands committed events to the subscribers whose prefix matches. Never blocks.
  void deliver(std::vector<Event> events);

  StorageBackend* storage_;
  const std::size_t max_queue_;
  std::atomic<std::int64_t> next_id_{1};
  std::mutex commit_mu_;  // numbering + apply + deliver, in id order

  mutable std::mutex mu_;
  std::condition_variable cv_;       // wakes the delivery thread
  std::condition_variable idle_cv_;  // signals that a callback finished
  std::map<std::uint64_t, std::shared_ptr<Subscriber>> subscribers_;
  std::uint64_t next_subscription_ = 1;
  std::uint64_t running_subscription_ = 0;  // whose callback runs now (0 = none)
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace switchboard::core
