// EnumNames: the one table of an enum's values and their wire names, from which both
// directions are read — the name of a value (for JSON, events and messages) and the value
// of a name (for arguments and stored records). Every status and action enum of the
// domain (agents, tasks, executions, steps, plugins) declares one.
//
//   constexpr EnumNames<TaskPriority, 4> kPriorityNames{{
//       {TaskPriority::kLow, "low"}, ...}};
//   kPriorityNames.name(TaskPriority::kLow) == "low";  kPriorityNames.parse("low")
//
// Thread safety: a constant; free to read from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace switchboard::core {

template <typename E, std::size_t N>
struct EnumNames {
  std::array<std::pair<E, std::string_view>, N> entries;

  // "unknown" for a value the table does not list.
  constexpr std::string_view name(E value) const {
    for (const auto& [v, n] : entries) {
      if (v == value) return n;
    }
    return "unknown";
  }
  // nullopt for a name the table does not list.
  constexpr std::optional<E> parse(std::string_view text) const {
    for (const auto& [v, n] : entries) {
      if (n == text) return v;
    }
    return std::nullopt;
  }
};

}  // namespace switchboard::core
