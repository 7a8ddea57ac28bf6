#include "tests/bench/mcp/mcp_response_check.hpp"

#include <simdjson.h>

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

// Calls visit(data) with the data of each event of a text/event-stream body, in order,
// until it returns true. Events without data (priming events, comments) are skipped.
template <typename Visit>
void forEachSseEvent(std::string_view body, Visit visit) {
  std::string data;
  bool any = false;
  std::string_view rest = body;
  for (;;) {
    bool last = rest.empty();
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {  // the end of an event (or of the body)
      if (any && visit(std::string_view(data))) return;
      data.clear();
      any = false;
      if (last) return;
      continue;
    }
    if (line.substr(0, 5) == "data:") {
      std::string_view value = line.substr(5);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (any) data += '\n';
      data += value;
      any = true;
    }
  }
}

namespace dom = simdjson::dom;

dom::parser& threadParser() {
  thread_local dom::parser parser;
  return parser;
}

// True when `text` is a JSON-RPC response: an object with an id and a result or an error.
// Sets `id` and `success` (a successful tool result, as checkResult(.., true) decides).
bool readResponseFast(std::string_view text, Era era, std::optional<std::int64_t>& id,
                      bool& success) {
  dom::element root;
  dom::object message;
  if (threadParser().parse(text.data(), text.size()).get(root) != simdjson::SUCCESS ||
      root.get(message) != simdjson::SUCCESS) {
    return false;
  }
  dom::element idValue, result;
  bool hasResult = message["result"].get(result) == simdjson::SUCCESS;
  bool hasError = message["error"].error() == simdjson::SUCCESS;
  if (message["id"].get(idValue) != simdjson::SUCCESS || !(hasResult || hasError)) return false;
  std::int64_t n = 0;
  id.reset();
  if (idValue.get(n) == simdjson::SUCCESS) id = n;
  success = false;
  dom::object fields;
  if (hasError || result.get(fields) != simdjson::SUCCESS) return true;
  if (era == Era::kModern) {
    std::string_view type;
    if (fields["resultType"].get(type) != simdjson::SUCCESS || type != "complete") return true;
  }
  bool isError = false;
  if (fields["isError"].get(isError) == simdjson::SUCCESS && isError) return true;
  success = fields["content"].is_array();
  return true;
}

}  // namespace

Status checkToolCallResponse(std::string_view contentType, std::string_view body,
                             std::optional<std::int64_t> expectedId, Era era,
                             std::optional<std::int64_t>* id) {
  std::optional<std::int64_t> fastId;
  bool found = false;
  bool success = false;
  if (contentType != "text/event-stream") {
    found = readResponseFast(body, era, fastId, success);
  } else {
    forEachSseEvent(body, [&](std::string_view data) {
      found = readResponseFast(data, era, fastId, success);
      return found;
    });
  }
  if (found && success && fastId && (!expectedId || *fastId == *expectedId)) {
    if (id != nullptr) *id = fastId;
    return {};
  }
  // Not a plain success: the reference path decides, with its messages.
  auto message = extractResponse(contentType, body, expectedId);
  if (!message.ok()) return message.status();
  const json& idValue = (*message)["id"];
  if (id != nullptr && idValue.is_number_integer()) *id = idValue.get<std::int64_t>();
  return checkResult(*message, era, true);
}

Result<json> extractResponse(std::string_view contentType, std::string_view body,
                             std::optional<std::int64_t> expectedId) {
  if (contentType != "text/event-stream") {
    json message = json::parse(body, nullptr, false);
    if (message.is_discarded() || !isResponse(message)) {
      return Status::dataLoss("not a JSON-RPC response: " + excerpt(body));
    }
    return checkId(std::move(message), expectedId);
  }
  std::optional<json> found;
  forEachSseEvent(body, [&](std::string_view data) {
    json message = json::parse(data, nullptr, false);
    if (message.is_discarded() || !isResponse(message)) return false;
    found = std::move(message);
    return true;
  });
  if (found) return checkId(std::move(*found), expectedId);
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
