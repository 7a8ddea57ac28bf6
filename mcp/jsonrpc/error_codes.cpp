#include "mcp/jsonrpc/error_codes.hpp"

namespace switchboard::mcp::jsonrpc {

nlohmann::json Error::toJson() const {
  nlohmann::json out = {{"code", code}, {"message", message}};
  if (!data.is_null()) out["data"] = data;
  return out;
}

Error errorFromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return invalidParams(status.message());
    case StatusCode::kUnimplemented:
      return {kMethodNotFound, status.message(), nullptr, 200};
    default:
      return internalError(status.message().empty() ? std::string(statusCodeName(status.code()))
                                                    : status.message());
  }
}

Error parseError(std::string message) { return {kParseError, std::move(message), nullptr, 400}; }
Error invalidRequest(std::string message) {
  return {kInvalidRequest, std::move(message), nullptr, 400};
}
Error methodNotFound(std::string_view method) {
  return {kMethodNotFound, "Method not found: " + std::string(method), nullptr, 200};
}
Error invalidParams(std::string message) {
  return {kInvalidParams, std::move(message), nullptr, 200};
}
Error internalError(std::string message) {
  return {kInternalError, std::move(message), nullptr, 200};
}

}  // namespace switchboard::mcp::jsonrpc
