#include "mcp/jsonrpc/message.hpp"

namespace switchboard::mcp::jsonrpc {

bool isValidId(const nlohmann::json& id) {
  return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

nlohmann::json makeResult(const nlohmann::json& id, nlohmann::json result) {
  // Not a braced list: nlohmann copies the elements of an initializer list, which would
  // deep-copy every result on its way out.
  nlohmann::json out = nlohmann::json::object();
  out["jsonrpc"] = "2.0";
  out["id"] = id;
  out["result"] = std::move(result);
  return out;
}

nlohmann::json makeErrorResponse(const nlohmann::json& id, const Error& error) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", error.toJson()}};
}

nlohmann::json makeNotification(std::string_view method, nlohmann::json params) {
  nlohmann::json out = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

nlohmann::json makeRequest(const nlohmann::json& id, std::string_view method,
                           nlohmann::json params) {
  nlohmann::json out = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

}  // namespace switchboard::mcp::jsonrpc
