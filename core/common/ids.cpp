#include "core/common/ids.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

namespace switchboard::core {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford base 32

void appendBase32(std::string& out, std::uint64_t value, int digits) {
  for (int i = digits - 1; i >= 0; --i) out += kAlphabet[(value >> (5 * i)) & 31u];
}

}  // namespace

std::string newId(std::string_view prefix) {
  static std::mutex mu;
  static std::uint64_t last_ms = 0;
  static std::uint64_t counter = 0;
  static std::mt19937_64 rng{std::random_device{}()};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  std::uint64_t ms_part;
  std::uint64_t count_part;
  {
    std::lock_guard lock(mu);
    if (ms <= last_ms) {
      // Same millisecond (or the clock stepped back): keep ids increasing.
      if (++counter >= (1u << 20)) {
        counter = 0;
        ++last_ms;
      }
    } else {
      last_ms = ms;
      counter = rng() & 0x7ffffu;  // random start, leaves room to count up
    }
    ms_part = last_ms;
    count_part = counter;
  }
  std::string id(prefix);
  appendBase32(id, ms_part, 9);
  appendBase32(id, count_part, 4);
  return id;
}

std::string msToRfc3339(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string nowRfc3339() {
  return msToRfc3339(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
}

}  // namespace switchboard::core
