// Identifiers and timestamps for domain records (agents, tasks).
//
// newId("ag_") returns the prefix followed by 13 lower-case base-32 characters: 9 encode the
// milliseconds since the Unix epoch, 4 a per-millisecond counter started at a random value.
// Ids from one process are therefore unique and sort in creation order, which the services
// use for stable cursor paging. nowRfc3339() is the UTC wall clock with milliseconds,
// e.g. "2026-11-22T05:00:00.123Z"; msToRfc3339() writes milliseconds since the Unix epoch
// the same way.
//
// Thread safety: both functions may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::core {

std::string newId(std::string_view prefix);
std::string nowRfc3339();
std::string msToRfc3339(std::int64_t ms);

}  // namespace switchboard::core
