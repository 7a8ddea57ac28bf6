#include "mcp/protocol/era.hpp"

#include <algorithm>
#include <array>

namespace switchboard::mcp::protocol {

const std::vector<std::string>& legacyVersions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

const std::vector<std::string>& modernVersions() {
  static const std::vector<std::string> versions = {std::string(kModernVersion)};
  return versions;
}

bool isLegacyVersion(std::string_view version) {
  const auto& v = legacyVersions();
  return std::find(v.begin(), v.end(), version) != v.end();
}

bool isModernVersion(std::string_view version) {
  const auto& v = modernVersions();
  return std::find(v.begin(), v.end(), version) != v.end();
}

std::string negotiateLegacyVersion(std::string_view requested) {
  if (isLegacyVersion(requested)) return std::string(requested);
  return std::string(kLatestLegacyVersion);
}

int logLevelRank(std::string_view level) {
  static constexpr std::array<std::string_view, 8> kLevels = {
      "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    if (kLevels[i] == level) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace switchboard::mcp::protocol
