#include "core/agents/secret_redaction.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::core {
namespace {

void collect(const nlohmann::json& node, std::set<std::string>& out) {
  if (node.is_object()) {
    if (auto props = node.find("properties"); props != node.end() && props->is_object()) {
      for (const auto& [name, sub] : props->items()) {
        if (sub.is_object() && sub.value("writeOnly", false)) out.insert(name);
      }
    }
    for (const auto& [key, sub] : node.items()) collect(sub, out);
  } else if (node.is_array()) {
    for (const auto& sub : node) collect(sub, out);
  }
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::set<std::string> writeOnlyKeys(const nlohmann::json& schema) {
  std::set<std::string> out;
  collect(schema, out);
  return out;
}

bool isSecretKey(std::string_view key, const std::set<std::string>& write_only) {
  if (write_only.count(std::string(key)) != 0) return true;
  std::string k(key);
  std::transform(k.begin(), k.end(), k.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (endsWith(k, "_env")) return false;
  for (std::string_view word :
       {"api_key", "apikey", "api-key", "access_key", "secret", "password", "authorization"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return endsWith(k, "token");
}

void redactSecrets(nlohmann::json& config, const std::set<std::string>& write_only) {
  if (config.is_object()) {
    for (auto& [key, value] : config.items()) {
      if (isSecretKey(key, write_only) && (value.is_string() || value.is_number())) {
        value = kRedacted;
      } else {
        redactSecrets(value, write_only);
      }
    }
  } else if (config.is_array()) {
    for (auto& value : config) redactSecrets(value, write_only);
  }
}

void keepRedactedSecrets(nlohmann::json& incoming, const nlohmann::json& stored) {
  if (!incoming.is_object() || !stored.is_object()) return;
  for (auto& [key, value] : incoming.items()) {
    auto old = stored.find(key);
    if (old == stored.end()) continue;
    if (value.is_string() && value.get<std::string>() == kRedacted) {
      value = *old;
    } else {
      keepRedactedSecrets(value, *old);
    }
  }
}

}  // namespace switchboard::core
