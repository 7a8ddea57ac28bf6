// Message: one decoded JSON-RPC 2.0 message (request, notification or response), and the
// builders for every message the server sends.
//
// Ids are JSON strings or integers, kept as JSON so that "1" and 1 stay distinct and are
// echoed exactly as received. Plain values; no thread-safety concerns.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mcp/jsonrpc/error_codes.hpp"

namespace switchboard::mcp::jsonrpc {

enum class MessageKind { kRequest, kNotification, kResponse };

struct Message {
  MessageKind kind = MessageKind::kNotification;
  nlohmann::json id;      // requests and responses: a string or an integer
  std::string method;     // requests and notifications
  nlohmann::json params;  // an object, or null when absent
  nlohmann::json result;  // responses that succeeded
  nlohmann::json error;   // responses that failed ({code, message, data?})

  bool isRequest() const { return kind == MessageKind::kRequest; }
  bool isNotification() const { return kind == MessageKind::kNotification; }
  bool isResponse() const { return kind == MessageKind::kResponse; }
};

// A valid JSON-RPC id: a string or an integer (never null, a fraction or a boolean).
bool isValidId(const nlohmann::json& id);

nlohmann::json makeResult(const nlohmann::json& id, nlohmann::json result);
// id may be null when the request's id could not be read.
nlohmann::json makeErrorResponse(const nlohmann::json& id, const Error& error);
nlohmann::json makeNotification(std::string_view method, nlohmann::json params);
nlohmann::json makeRequest(const nlohmann::json& id, std::string_view method,
                           nlohmann::json params);

}  // namespace switchboard::mcp::jsonrpc
