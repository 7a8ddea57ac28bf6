// Small helpers of the HTTP transport: host and origin parsing, loopback names, Accept
// and Content-Type checks, JSON-RPC error bodies. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
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
bool contains(const std::vector<std::string>& list, const std::string& value);
bool acceptsEventStream(const httplib::Request& req);
bool acceptsJson(const httplib::Request& req);
bool isJsonContentType(const httplib::Request& req);
void writeJsonError(httplib::Response& res, int status, const nlohmann::json& id,
                    const jsonrpc::Error& error);
// -32001 "Session not found" (HTTP 404): the client must initialize again.
jsonrpc::Error sessionNotFound();

}  // namespace switchboard::mcp::transport
