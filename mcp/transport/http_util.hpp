// Small helpers of the HTTP transport: host and origin parsing, loopback names, Accept
// and Content-Type checks, JSON-RPC error bodies. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/jsonrpc/error_codes.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace switchboard::mcp::transport {

// "localhost", "127.x.y.z", "::1", "[::1]".
bool isLoopbackHost(std::string_view host);
// The host of a Host header ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "[::1]").
std::string hostOf(std::string_view host_header);
// The host of an Origin ("http://localhost:3000" -> "localhost"); "" when unparsable.
std::string originHost(std::string_view origin);
bool contains(const std::vector<std::string>& list, std::string_view value);
// The first value of header `name` (ASCII case-insensitive); nullopt when absent. A scan
// of the request's few headers that compares lengths first: httplib's own lookup calls
// tolower() on every character of every key it compares, about 1,800 instructions a
// lookup, and a POST looks up six headers.
std::optional<std::string_view> header(const httplib::Request& req, std::string_view name);
bool acceptsEventStream(const httplib::Request& req);
bool acceptsJson(const httplib::Request& req);
bool isJsonContentType(const httplib::Request& req);
void writeJsonError(httplib::Response& res, int status, const nlohmann::json& id,
                    const jsonrpc::Error& error);
// -32001 "Session not found" (HTTP 404): the client must initialize again.
jsonrpc::Error sessionNotFound();

}  // namespace switchboard::mcp::transport
