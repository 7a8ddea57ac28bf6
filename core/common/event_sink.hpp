// EventSink: how the agent and task services announce every state change.
//
// A service calls the sink with a topic ("agent/<id>", "task/<id>"), an event type
// ("agent.status", "task.updated", ...) and a JSON payload, after the change has been
// applied and written to the store. The gateway connects the sink to the event hub, which
// assigns event ids and fans events out; tests collect them in a vector.
//
// Ordering: each service hands events to its sink one at a time, in the order the changes
// happened, but possibly from another thread than the one that made the change. The sink
// may read from the service; it must not throw.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace switchboard::core {

using EventSink = std::function<void(std::string topic, std::string type, nlohmann::json data)>;

}  // namespace switchboard::core
