#include "mcp/transport/http_util.hpp"

#include <httplib.h>

#include <algorithm>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/jsonrpc/message.hpp"

namespace switchboard::mcp::transport {

bool isLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" ||
         host.substr(0, 4) == "127.";
}

std::string hostOf(std::string_view host_header) {
  if (!host_header.empty() && host_header.front() == '[') {
    auto close = host_header.find(']');
    return std::string(host_header.substr(0, close == std::string_view::npos ? host_header.size()
                                                                             : close + 1));
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

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool acceptsEventStream(const httplib::Request& req) {
  std::string accept = req.get_header_value("Accept");
  return accept.find("text/event-stream") != std::string::npos ||
         accept.find("*/*") != std::string::npos;
}

bool acceptsJson(const httplib::Request& req) {
  std::string accept = req.get_header_value("Accept");
  return accept.empty() || accept.find("application/json") != std::string::npos ||
         accept.find("*/*") != std::string::npos || accept.find("application/*") != std::string::npos;
}

bool isJsonContentType(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type.rfind("application/json", 0) == 0;
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
