#include "tests/bench/mcp/mcp_response_check.hpp"

#include <string>

namespace switchboard::bench {
namespace {

using nlohmann::json;

bool isResponse(const json& message) {
  return message.is_object() && message.contains("id") &&
         (message.contains("result") || message.contains("error"));
}

Result<json> checkId(json message, std::optional<std::int64_t> expectedId) {
  if (expectedId) {
    const json& id = message["id"];
    if (!id.is_number_integer() || id.get<std::int64_t>() != *expectedId) {
      if (id.is_null() && message.contains("error")) {  // a request the server could not read
        return Status::internal("JSON-RPC error without id: " + message["error"].dump());
      }
      return Status::failedPrecondition("response id " + id.dump() + " does not match request id " +
                                        std::to_string(*expectedId));
    }
  }
  return message;
}

std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 200;
  return std::string(text.substr(0, kMax)) + (text.size() > kMax ? "..." : "");
}

}  // namespace

Result<json> extractResponse(std::string_view contentType, std::string_view body,
                             std::optional<std::int64_t> expectedId) {
  if (contentType != "text/event-stream") {
    json message = json::parse(body, nullptr, false);
    if (message.is_discarded() || !isResponse(message)) {
      return Status::dataLoss("not a JSON-RPC response: " + excerpt(body));
    }
    return checkId(std::move(message), expectedId);
  }
  std::string data;
  auto dispatch = [&]() -> std::optional<json> {
    if (data.empty()) return std::nullopt;
    json message = json::parse(data, nullptr, false);
    data.clear();
    if (message.is_discarded() || !isResponse(message)) return std::nullopt;
    return message;
  };
  std::string_view rest = body;
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (auto message = dispatch()) return checkId(std::move(*message), expectedId);
      continue;
    }
    if (line.substr(0, 5) == "data:") {
      std::string_view value = line.substr(5);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (!data.empty()) data += '\n';
      data += value;
    }
  }
  if (auto message = dispatch()) return checkId(std::move(*message), expectedId);
  return Status::dataLoss("no JSON-RPC response in the event stream: " + excerpt(body));
}

Status checkResult(const json& response, Era era, bool toolCall) {
  if (auto it = response.find("error"); it != response.end()) {
    return Status::internal("JSON-RPC error: " + it->dump());
  }
  auto result = response.find("result");
  if (result == response.end() || !result->is_object()) {
    return Status::internal("response without a result object: " + excerpt(response.dump()));
  }
  if (era == Era::kModern) {
    auto type = result->find("resultType");
    if (type == result->end() || *type != "complete") {
      return Status::internal("modern result without resultType \"complete\": " +
                              excerpt(result->dump()));
    }
  }
  if (toolCall) {
    auto isError = result->find("isError");
    if (isError != result->end() && *isError == true) {
      return Status::internal("tool returned isError: " + excerpt(result->dump()));
    }
    auto content = result->find("content");
    if (content == result->end() || !content->is_array()) {
      return Status::internal("tool result without a content array: " + excerpt(result->dump()));
    }
  }
  return {};
}

}  // namespace switchboard::bench
