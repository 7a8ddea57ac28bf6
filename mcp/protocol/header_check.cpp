#include "mcp/protocol/header_check.hpp"

#include <cmath>

namespace switchboard::mcp::protocol {
namespace {

jsonrpc::Error mismatch(std::string message) {
  return jsonrpc::Error{jsonrpc::kHeaderMismatch, std::move(message), nullptr, 400};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> decodeBase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=') {
        if (i + 4 != in.size() || k < 2) return std::nullopt;
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;
        v[k] = base64Value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    unsigned n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

// The body value as the header would carry it; nullopt for null/absent.
std::optional<std::string> bodyText(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

bool sameValue(const nlohmann::json& body, const std::string& header) {
  if (body.is_number()) {
    nlohmann::json parsed = nlohmann::json::parse(header, nullptr, false);
    return !parsed.is_discarded() && parsed.is_number() &&
           parsed.get<double>() == body.get<double>();
  }
  auto text = bodyText(body);
  return text && *text == header;
}

}  // namespace

std::optional<std::string> HeaderCheck::decodeValue(std::string_view raw) {
  std::string_view value = trim(raw);
  constexpr std::string_view kPrefix = "=?base64?";
  constexpr std::string_view kSuffix = "?=";
  if (value.size() >= kPrefix.size() + kSuffix.size() &&
      value.substr(0, kPrefix.size()) == kPrefix &&
      value.substr(value.size() - kSuffix.size()) == kSuffix) {
    return decodeBase64(
        value.substr(kPrefix.size(), value.size() - kPrefix.size() - kSuffix.size()));
  }
  return std::string(value);
}

std::optional<jsonrpc::Error> HeaderCheck::check(std::string_view method,
                                                 const nlohmann::json& params,
                                                 const HeaderLookup& header,
                                                 const nlohmann::json& tool_input_schema) {
  std::optional<std::string> mcp_method = header("Mcp-Method");
  if (!mcp_method) return mismatch("the Mcp-Method header is required");
  if (std::string(trim(*mcp_method)) != method) {
    return mismatch("Mcp-Method header \"" + *mcp_method + "\" does not match method \"" +
                    std::string(method) + "\"");
  }
  const char* name_field = nullptr;
  if (method == "tools/call" || method == "prompts/get") name_field = "name";
  if (method == "resources/read") name_field = "uri";
  if (method == "tasks/get" || method == "tasks/update" || method == "tasks/cancel") {
    name_field = "taskId";
  }
  if (name_field != nullptr) {
    std::optional<std::string> mcp_name = header("Mcp-Name");
    if (!mcp_name) return mismatch("the Mcp-Name header is required for " + std::string(method));
    std::optional<std::string> decoded = decodeValue(*mcp_name);
    auto body = params.is_object() ? params.find(name_field) : params.end();
    if (!decoded || body == params.end() || !body->is_string() || *body != *decoded) {
      return mismatch(std::string("Mcp-Name header does not match params.") + name_field);
    }
  }
  if (method != "tools/call" || !tool_input_schema.is_object()) return std::nullopt;
  auto props = tool_input_schema.find("properties");
  if (props == tool_input_schema.end() || !props->is_object()) return std::nullopt;
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& args =
      params.contains("arguments") && params["arguments"].is_object() ? params["arguments"] : empty;
  for (const auto& [prop, schema] : props->items()) {
    if (!schema.is_object() || !schema.contains("x-mcp-header") ||
        !schema["x-mcp-header"].is_string()) {
      continue;
    }
    std::string name = "Mcp-Param-" + schema["x-mcp-header"].get<std::string>();
    std::optional<std::string> raw = header(name);
    auto arg = args.find(prop);
    bool present = arg != args.end() && !arg->is_null();
    if (!present) {
      if (raw) return mismatch(name + " is present but argument \"" + prop + "\" is not");
      continue;
    }
    if (!raw) return mismatch("the " + name + " header is required");
    std::optional<std::string> decoded = decodeValue(*raw);
    if (!decoded || !sameValue(*arg, *decoded)) {
      return mismatch(name + " header does not match argument \"" + prop + "\"");
    }
  }
  return std::nullopt;
}

}  // namespace switchboard::mcp::protocol
