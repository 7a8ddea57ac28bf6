#include "mcp/transport/http_util.hpp"

#include <httplib.h>

#include <algorithm>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/jsonrpc/message.hpp"

namespace switchboard::mcp::transport {
namespace {

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

bool isLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.substr(0, 4) == "127.";
}

std::string hostOf(std::string_view host_header) {
  if (!host_header.empty() && host_header.front() == '[') {
    auto close = host_header.find(']');
    return std::string(
        host_header.substr(0, close == std::string_view::npos ? host_header.size() : close + 1));
  }
  auto colon = host_header.find(':');
  return std::string(host_header.substr(0, colon));
}

std::string originHost(std::string_view origin) {
  auto scheme = origin.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = origin.substr(scheme + 3);
  auto slash = rest.find('/');
  if (slash != std::string_view::npos) rest = rest.substr(0, slash);
  return hostOf(rest);
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<std::string_view> header(const httplib::Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(),
                   [](char a, char b) { return asciiLower(a) == asciiLower(b); })) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

bool acceptsEventStream(const httplib::Request& req) {
  std::string_view accept = header(req, "Accept").value_or("");
  return accept.find("text/event-stream") != std::string_view::npos ||
         accept.find("*/*") != std::string_view::npos;
}

bool acceptsJson(const httplib::Request& req) {
  std::string_view accept = header(req, "Accept").value_or("");
  return accept.empty() || accept.find("application/json") != std::string_view::npos ||
         accept.find("*/*") != std::string_view::npos ||
         accept.find("application/*") != std::string_view::npos;
}

bool isJsonContentType(const httplib::Request& req) {
  constexpr std::string_view kJson = "application/json";
  std::string_view type = header(req, "Content-Type").value_or("");
  return type.size() >= kJson.size() &&
         std::equal(kJson.begin(), kJson.end(), type.begin(),
                    [](char want, char got) { return want == asciiLower(got); });
}

void writeJsonError(httplib::Response& res, int status, const nlohmann::json& id,
                    const jsonrpc::Error& error) {
  res.status = status;
  res.set_content(jsonrpc::Codec::encode(jsonrpc::makeErrorResponse(id, error)),
                  "application/json");
}

jsonrpc::Error sessionNotFound() {
  return jsonrpc::Error{-32001, "Session not found: initialize again without Mcp-Session-Id",
                        nullptr, 404};
}

}  // namespace switchboard::mcp::transport
