// The storage contract's rules for a well-formed WriteBatch (tests/plugins/storage/contract),
// checked the same way by every bundled StorageBackend before it applies anything.
//
// Part of switchboard_plugin_support (SDK headers only). A free function without state: safe
// from any thread.
#pragma once

#include <cstdint>

#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"

namespace switchboard::plugins {

// OK when `batch` may be applied on top of a store whose largest event id is
// `last_event_id` (0 when it has none). InvalidArgument for a malformed element (an empty
// collection, id, key, topic or json; a record both put and erased; event ids that do not
// increase within the batch); Aborted when the first event id is not greater than
// `last_event_id`.
Status validateWriteBatch(const WriteBatch& batch, std::int64_t last_event_id);

}  // namespace switchboard::plugins
