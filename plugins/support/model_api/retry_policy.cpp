#include "plugins/support/model_api/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <string>

namespace switchboard::plugins {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<double> number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0)) return std::nullopt;
  return v;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate).
std::optional<std::chrono::system_clock::time_point> httpDate(std::string_view s) {
  std::string text(trim(s));
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  std::time_t t = ::timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

bool isRetryable(int http_status) {
  return http_status == 0 || http_status == 408 || http_status == 409 || http_status == 429 ||
         http_status >= 500;
}

std::optional<std::int64_t> serverRetryWaitMs(std::string_view retry_after_ms,
                                              std::string_view retry_after,
                                              std::chrono::system_clock::time_point now) {
  constexpr double kMaxMs = 24.0 * 3600 * 1000;  // anything longer is treated as a day
  if (std::optional<double> ms = number(retry_after_ms)) {
    return static_cast<std::int64_t>(std::min(*ms, kMaxMs));
  }
  if (std::optional<double> seconds = number(retry_after)) {
    return static_cast<std::int64_t>(std::min(*seconds * 1000.0, kMaxMs));
  }
  if (auto when = httpDate(retry_after)) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now).count();
    return std::clamp<std::int64_t>(ms, 0, static_cast<std::int64_t>(kMaxMs));
  }
  return std::nullopt;
}

std::int64_t backoffMs(int retry, std::int64_t base_ms, std::uint64_t seed) {
  constexpr std::int64_t kCapMs = 30000;
  std::int64_t wait = base_ms;
  for (int i = 1; i < retry && wait < kCapMs; ++i) wait *= 2;
  wait = std::min(wait, kCapMs);
  // splitmix64 of the seed and the retry number: deterministic, spread out.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(retry + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  std::int64_t jitter =
      wait / 4 == 0 ? 0 : static_cast<std::int64_t>(z % static_cast<std::uint64_t>(wait / 4 + 1));
  return wait + jitter;
}

}  // namespace switchboard::plugins
