#include "core/common/event_outbox.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace switchboard::core {

EventOutbox::EventOutbox(EventSink sink, std::string owner)
    : sink_(std::move(sink)), owner_(std::move(owner)) {}

void EventOutbox::push(std::string topic, std::string type, nlohmann::json data) {
  std::lock_guard lock(mu_);
  queue_.push_back({std::move(topic), std::move(type), std::move(data)});
}

void EventOutbox::drain() {
  std::deque<PendingEvent> batch;
  {
    std::lock_guard lock(mu_);
    if (draining_) return;  // the thread draining now will pick these up
    draining_ = true;
  }
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) {
        draining_ = false;
        return;
      }
      batch.swap(queue_);
    }
    for (PendingEvent& ev : batch) {
      if (!sink_) continue;
      try {
        sink_(std::move(ev.topic), std::move(ev.type), std::move(ev.data));
      } catch (...) {
        spdlog::error("{}: the event sink threw; event dropped", owner_);
      }
    }
    batch.clear();
  }
}

}  // namespace switchboard::core
