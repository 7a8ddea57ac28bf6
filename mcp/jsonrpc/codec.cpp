#include "mcp/jsonrpc/codec.hpp"

#include <cstdint>

#include "mcp/jsonrpc/fast_json.hpp"

namespace switchboard::mcp::jsonrpc {
namespace {

Decoded refuse(Error error, nlohmann::json id = nullptr) {
  Decoded out;
  out.error = std::move(error);
  out.error_id = std::move(id);
  return out;
}

// The deepest nesting nlohmann's callback parser would report for `text`: the number of
// open arrays/objects at the start of any value or key. Strings are skipped (escapes
// included), so brackets inside them do not count; on malformed text the scan may count
// more than the parser would reach, never less.
int nestingDepth(std::string_view text) {
  int open = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '{':
      case '[':
        if (open > deepest) deepest = open;
        ++open;
        break;
      case '}':
      case ']':
        if (open > 0) --open;
        break;
      case '"':
        in_string = true;
        if (open > deepest) deepest = open;
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case ',':
      case ':':
        break;
      default:  // numbers, true, false, null
        if (open > deepest) deepest = open;
        break;
    }
  }
  return deepest;
}

}  // namespace

Decoded Codec::decode(std::string_view text, const CodecLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return refuse(invalidRequest("message exceeds " + std::to_string(limits.max_bytes) + " bytes"));
  }
  // The usual case, a well-formed request or notification: read by simdjson, which gives
  // up on anything else and on anything nested deeper than max_depth.
  if (std::optional<Message> message = readMessageFast(text, limits.max_depth)) {
    return Decoded{std::move(*message), {}, nullptr};
  }
  if (std::optional<nlohmann::json> value = parseFast(text, limits.max_depth)) {
    return fromJson(std::move(*value));
  }
  if (nestingDepth(text) <= limits.max_depth) {
    // Within the limit: the plain parser, several times faster than the callback parser
    // below, which could not have refused anything.
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                                 /*allow_exceptions=*/false);
    if (value.is_discarded()) return refuse(parseError("Parse error: invalid JSON"));
    return fromJson(std::move(value));
  }
  bool too_deep = false;
  nlohmann::json::parser_callback_t depth_guard = [&](int depth, nlohmann::json::parse_event_t,
                                                      nlohmann::json&) {
    if (depth > limits.max_depth) {
      too_deep = true;
      return false;
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), depth_guard,
                                               /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    if (too_deep) return refuse(invalidRequest("message nested too deeply"));
    return refuse(parseError("Parse error: invalid JSON"));
  }
  if (too_deep) return refuse(invalidRequest("message nested too deeply"));
  return fromJson(std::move(value));
}

Decoded Codec::fromJson(nlohmann::json value) {
  if (value.is_array()) {
    return refuse(invalidRequest("JSON-RPC batches are not supported"));
  }
  if (!value.is_object()) {
    return refuse(invalidRequest("a JSON-RPC message must be a JSON object"));
  }
  nlohmann::json id = nullptr;
  bool has_id = false;
  if (auto it = value.find("id"); it != value.end()) {
    has_id = true;
    if (isValidId(*it)) id = *it;
  }
  auto version = value.find("jsonrpc");
  if (version == value.end() || !version->is_string() || *version != "2.0") {
    return refuse(invalidRequest("\"jsonrpc\" must be \"2.0\""), id);
  }
  Message message;
  if (auto method = value.find("method"); method != value.end()) {
    if (!method->is_string() || method->get_ref<const std::string&>().empty()) {
      return refuse(invalidRequest("\"method\" must be a non-empty string"), id);
    }
    message.method = method->get<std::string>();
    if (auto params = value.find("params"); params != value.end()) {
      if (!params->is_object()) return refuse(invalidRequest("\"params\" must be an object"), id);
      message.params = std::move(*params);
    }
    if (has_id) {
      if (!isValidId(value["id"])) {
        return refuse(invalidRequest("\"id\" must be a string or an integer"));
      }
      message.kind = MessageKind::kRequest;
      message.id = std::move(id);
    } else {
      message.kind = MessageKind::kNotification;
    }
    return Decoded{std::move(message), {}, nullptr};
  }
  // A response (to a request the server sent).
  auto result = value.find("result");
  auto error = value.find("error");
  if (!has_id || (!isValidId(value["id"]) && !(error != value.end() && value["id"].is_null()))) {
    return refuse(invalidRequest("a message without \"method\" must be a response with an id"));
  }
  if ((result == value.end()) == (error == value.end())) {
    return refuse(invalidRequest("a response must have exactly one of \"result\" and \"error\""),
                  id);
  }
  if (error != value.end() &&
      (!error->is_object() || !error->contains("code") || !(*error)["code"].is_number_integer())) {
    return refuse(invalidRequest("\"error\" must be an object with an integer code"), id);
  }
  message.kind = MessageKind::kResponse;
  message.id = value["id"];
  if (result != value.end()) message.result = std::move(*result);
  if (error != value.end()) message.error = std::move(*error);
  return Decoded{std::move(message), {}, nullptr};
}

std::string Codec::encode(const nlohmann::json& message) {
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Codec::encodeResult(const nlohmann::json& id, std::string_view result_text) {
  constexpr std::string_view kHead = R"({"jsonrpc":"2.0","id":)";
  constexpr std::string_view kResult = R"(,"result":)";
  std::string id_text = id.is_number_unsigned()  ? std::to_string(id.get<std::uint64_t>())
                        : id.is_number_integer() ? std::to_string(id.get<std::int64_t>())
                                                 : encode(id);
  std::string out;
  out.reserve(kHead.size() + id_text.size() + kResult.size() + result_text.size() + 1);
  out.append(kHead).append(id_text).append(kResult).append(result_text).push_back('}');
  return out;
}

}  // namespace switchboard::mcp::jsonrpc
