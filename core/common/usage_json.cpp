#include "core/common/usage_json.hpp"

#include <cstdint>
#include <cstdio>
#include <type_traits>
#include <variant>

namespace switchboard::core {
namespace {

// One entry per JSON field, in the order the text form writes them. total_tokens is
// derived (written, never read).
struct Field {
  const char* name;
  std::variant<std::int64_t Usage::*, double Usage::*, std::nullptr_t> member;
};
constexpr Field kFields[] = {
    {"input_tokens", &Usage::input_tokens},
    {"output_tokens", &Usage::output_tokens},
    {"cache_read_tokens", &Usage::cache_read_tokens},
    {"cache_creation_tokens", &Usage::cache_creation_tokens},
    {"total_tokens", nullptr},
    {"turns", &Usage::turns},
    {"cost_usd", &Usage::cost_usd},
    {"cpu_ms", &Usage::cpu_ms},
    {"peak_rss_kb", &Usage::peak_rss_kb},
};

template <typename Visit>
void forEachField(const Usage& u, Visit&& visit) {
  for (const Field& f : kFields) {
    if (auto i = std::get_if<std::int64_t Usage::*>(&f.member)) {
      visit(f.name, u.**i);
    } else if (auto d = std::get_if<double Usage::*>(&f.member)) {
      visit(f.name, u.**d);
    } else {
      visit(f.name, u.totalTokens());
    }
  }
}

}  // namespace

nlohmann::json usageToJson(const Usage& u) {
  nlohmann::json out = nlohmann::json::object();
  forEachField(u, [&](const char* name, auto value) { out[name] = value; });
  return out;
}

void appendUsageJson(std::string& out, const Usage& u) {
  char sep = '{';
  forEachField(u, [&](const char* name, auto value) {
    out += sep;
    sep = ',';
    out += '"';
    out += name;
    out += "\":";
    if constexpr (std::is_same_v<decltype(value), double>) {
      char buf[32];
      int n = std::snprintf(buf, sizeof buf, "%.17g", value);
      out.append(buf, static_cast<std::size_t>(n));
    } else {
      out += std::to_string(value);
    }
  });
  out += '}';
}

Usage usageFromJson(const nlohmann::json& j) {
  Usage u;
  if (!j.is_object()) return u;
  for (const Field& f : kFields) {
    auto it = j.find(f.name);
    if (it == j.end() || !it->is_number()) continue;
    if (auto i = std::get_if<std::int64_t Usage::*>(&f.member)) {
      u.** i = it->get<std::int64_t>();
    } else if (auto d = std::get_if<double Usage::*>(&f.member)) {
      u.** d = it->get<double>();
    }
  }
  return u;
}

}  // namespace switchboard::core
