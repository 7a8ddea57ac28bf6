#include "core/events/event_hub.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

namespace switchboard::core {
namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void appendQuoted(std::string& out, const std::string& text) { out += nlohmann::json(text).dump(); }

// The stored form: {"type":..,"time_ms":..,"data":..}. data_json is trusted JSON text.
std::string recordJson(const Event& e) {
  std::string out = "{\"type\":";
  appendQuoted(out, e.type);
  out += ",\"time_ms\":";
  out += std::to_string(e.time_ms);
  out += ",\"data\":";
  out += e.data_json;
  out += '}';
  return out;
}

}  // namespace

std::string Event::toJson() const {
  std::string out = "{\"id\":";
  out += std::to_string(id);
  out += ",\"topic\":";
  appendQuoted(out, topic);
  out += ",\"type\":";
  appendQuoted(out, type);
  out += ",\"time_ms\":";
  out += std::to_string(time_ms);
  out += ",\"data\":";
  out += data_json;
  out += '}';
  return out;
}

Result<Event> Event::fromRecord(const EventRecord& record) {
  nlohmann::json j = nlohmann::json::parse(record.json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::dataLoss("event " + std::to_string(record.id) + " is not a JSON object");
  }
  Event e;
  e.id = record.id;
  e.topic = record.topic;
  if (j.contains("type") && j["type"].is_string()) e.type = j["type"].get<std::string>();
  if (j.contains("time_ms") && j["time_ms"].is_number_integer()) {
    e.time_ms = j["time_ms"].get<std::int64_t>();
  }
  e.data_json = j.contains("data") ? j["data"].dump() : "{}";
  return e;
}

EventHub::EventHub(StorageBackend* storage, std::size_t max_queue_per_subscriber)
    : storage_(storage), max_queue_(max_queue_per_subscriber == 0 ? 1 : max_queue_per_subscriber) {
  thread_ = std::thread([this] { run(); });
}

EventHub::~EventHub() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status EventHub::open() {
  if (storage_ == nullptr) return Status();
  Result<std::int64_t> last = storage_->lastEventId();
  if (!last.ok()) return last.status().withContext("reading the last event id");
  std::int64_t next = *last + 1;
  std::int64_t current = next_id_.load();
  while (current < next && !next_id_.compare_exchange_weak(current, next)) {
  }
  return Status();
}

Event EventHub::pending(std::string topic, std::string type, std::string data_json) {
  Event e;
  e.topic = std::move(topic);
  e.type = std::move(type);
  e.data_json = data_json.empty() ? "{}" : std::move(data_json);
  e.time_ms = nowMs();
  return e;
}

Status EventHub::commit(StorageBackend* store, WriteBatch& batch, std::vector<Event> events) {
  std::lock_guard<std::mutex> commit_lock(commit_mu_);
  for (Event& e : events) {
    e.id = next_id_.fetch_add(1);
    if (storage_ != nullptr) batch.events.push_back(EventRecord{e.id, e.topic, recordJson(e)});
  }
  if (store != nullptr && !batch.empty()) SB_RETURN_IF_ERROR(store->apply(batch));
  deliver(std::move(events));
  return Status();
}

void EventHub::deliver(std::vector<Event> events) {
  if (events.empty()) return;
  bool any = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (subscribers_.empty()) return;
    for (auto& [id, sub] : subscribers_) {
      for (const Event& e : events) {
        if (e.topic.compare(0, sub->prefix.size(), sub->prefix) != 0) continue;
        if (sub->queue.size() >= max_queue_) {
          sub->queue.pop_front();
          ++sub->missed;
        }
        sub->queue.push_back(e);
        any = true;
      }
    }
    if (any) pending_ = true;
  }
  if (any) cv_.notify_one();
}

Status EventHub::publish(std::string topic, std::string type, std::string data_json) {
  WriteBatch batch;
  std::vector<Event> one;
  one.push_back(pending(std::move(topic), std::move(type), std::move(data_json)));
  return commit(storage_, batch, std::move(one));
}

std::uint64_t EventHub::subscribe(std::string topic_prefix, Callback callback) {
  auto sub = std::make_shared<Subscriber>();
  sub->prefix = std::move(topic_prefix);
  sub->callback = std::move(callback);
  std::lock_guard<std::mutex> lock(mu_);
  std::uint64_t id = next_subscription_++;
  subscribers_.emplace(id, std::move(sub));
  return id;
}

void EventHub::unsubscribe(std::uint64_t subscription_id) {
  std::unique_lock<std::mutex> lock(mu_);
  subscribers_.erase(subscription_id);
  if (std::this_thread::get_id() == thread_.get_id()) return;  // from its own callback
  idle_cv_.wait(lock, [&] { return running_subscription_ != subscription_id; });
}

Result<std::vector<Event>> EventHub::history(std::int64_t after_id, std::int64_t limit,
                                             const std::string& topic_prefix) const {
  if (storage_ == nullptr) return Status::failedPrecondition("the event hub has no store");
  Result<std::vector<EventRecord>> records = storage_->events(after_id, limit, topic_prefix);
  if (!records.ok()) return records.status();
  std::vector<Event> out;
  out.reserve(records->size());
  for (const EventRecord& r : *records) {
    Result<Event> e = Event::fromRecord(r);
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

void EventHub::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
    // Snapshot who has work; each callback runs without the lock.
    std::vector<std::pair<std::uint64_t, std::shared_ptr<Subscriber>>> ready;
    for (auto& [id, sub] : subscribers_) {
      if (!sub->queue.empty()) ready.emplace_back(id, sub);
    }
    for (auto& [id, sub] : ready) {
      if (subscribers_.count(id) == 0) continue;  // unsubscribed meanwhile
      std::vector<Event> events(std::make_move_iterator(sub->queue.begin()),
                                std::make_move_iterator(sub->queue.end()));
      sub->queue.clear();
      std::uint64_t missed = std::exchange(sub->missed, 0);
      running_subscription_ = id;
      lock.unlock();
      try {
        sub->callback(events, missed);
      } catch (const std::exception& ex) {
        spdlog::error("event subscriber {} threw: {}", id, ex.what());
      } catch (...) {
        spdlog::error("event subscriber {} threw a non-standard exception", id);
      }
      lock.lock();
      running_subscription_ = 0;
      idle_cv_.notify_all();
      if (stop_) return;
    }
  }
}

}  // namespace switchboard::core
