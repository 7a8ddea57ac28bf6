// EventOutbox: the queue between a service's state changes and its EventSink (agent and task
// services). A service push()es an event while it holds its own lock, so the queue's order is
// the order of the changes; after releasing that lock it calls drain(), which hands the
// queued events to the sink one at a time and in order. Only one thread drains at a time: a
// drain() that finds another one running returns at once, and the running one delivers what
// was queued meanwhile. A sink that throws loses that event (logged), never the rest.
//
// Ownership: a member of its service; holds the sink. Thread safety: push() and drain() may
// be called from any thread; push() takes only the outbox's own mutex (innermost), drain()
// never holds it while calling the sink.
#pragma once

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/common/event_sink.hpp"

namespace switchboard::core {

class EventOutbox {
 public:
  // `owner` names the service in log lines ("agents", "tasks"). A null sink drops events.
  EventOutbox(EventSink sink, std::string owner);

  void push(std::string topic, std::string type, nlohmann::json data);
  void drain();

 private:
  struct PendingEvent {
    std::string topic;
    std::string type;
    nlohmann::json data;
  };

  EventSink sink_;
  std::string owner_;
  std::mutex mu_;
  std::deque<PendingEvent> queue_;
  bool draining_ = false;
};

}  // namespace switchboard::core
