// forEachStoredPage(): reads a whole store collection page by page, the way the agent and
// task services load themselves at start-up. A store that throws is turned into Internal
// ("the store threw while listing <collection>"); any error is returned with the context
// "loading <collection>".
//
// A free function without state; the caller guards its own state inside `visit`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "switchboard/storage.hpp"

namespace switchboard::core {

// Calls `visit` with each non-empty page of `collection` (at most `page_size` records, in
// id order) until the collection is exhausted.
Status forEachStoredPage(StorageBackend& store, const std::string& collection,
                         std::int64_t page_size,
                         const std::function<void(const std::vector<Record>& page)>& visit);

}  // namespace switchboard::core
