#include "mcp/jsonrpc/fast_json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace switchboard::mcp::jsonrpc {
namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

dom::parser& threadParser() {
  // Grows to the largest text it has read on this thread, kFastMaxBytes at most.
  thread_local dom::parser parser(kFastMaxBytes);
  return parser;
}

// Builds the nlohmann value of `element`, which `depth` arrays and objects enclose; false
// when a value or key would have more than max_depth of them open.
bool build(dom::element element, json& out, int depth, int max_depth) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      if (depth >= max_depth) return false;
      out = json::value_t::object;  // not json::object(): its initializer-list path costs more
      auto& members = out.get_ref<json::object_t&>();
      for (dom::key_value_pair member : dom::object(element)) {
        // Built in place. The hint makes keys that arrive in order cheap to insert; a
        // repeated key is found and overwritten, so the last one wins.
        std::size_t before = members.size();
        auto slot = members.try_emplace(members.end(), std::string(member.key));
        if (members.size() == before) slot->second = nullptr;
        if (!build(member.value, slot->second, depth + 1, max_depth)) return false;
      }
      return true;
    }
    case dom::element_type::ARRAY: {
      if (depth >= max_depth) return false;
      out = json::value_t::array;
      auto& items = out.get_ref<json::array_t&>();
      for (dom::element item : dom::array(element)) {
        items.emplace_back();
        if (!build(item, items.back(), depth + 1, max_depth)) return false;
      }
      return true;
    }
    case dom::element_type::STRING:
      out = std::string(std::string_view(element));
      return true;
    case dom::element_type::INT64: {
      std::int64_t value = std::int64_t(element);
      if (value >= 0) {
        out = static_cast<std::uint64_t>(value);
      } else {
        out = value;
      }
      return true;
    }
    case dom::element_type::UINT64:
      out = std::uint64_t(element);
      return true;
    case dom::element_type::DOUBLE:
      out = double(element);
      return true;
    case dom::element_type::BOOL:
      out = bool(element);
      return true;
    case dom::element_type::NULL_VALUE:
      out = nullptr;
      return true;
  }
  return false;
}

// Whether no value or key inside `element` (enclosed by `depth` arrays and objects) has
// more than max_depth of them open: build()'s limit, for members that are not built.
bool fits(dom::element element, int depth, int max_depth) {
  if (element.type() == dom::element_type::OBJECT) {
    if (depth >= max_depth) return false;
    for (dom::key_value_pair member : dom::object(element)) {
      if (!fits(member.value, depth + 1, max_depth)) return false;
    }
  } else if (element.type() == dom::element_type::ARRAY) {
    if (depth >= max_depth) return false;
    for (dom::element item : dom::array(element)) {
      if (!fits(item, depth + 1, max_depth)) return false;
    }
  }
  return true;
}

JsonKind kindOf(dom::element_type type) {
  switch (type) {
    case dom::element_type::OBJECT:
      return JsonKind::kObject;
    case dom::element_type::ARRAY:
      return JsonKind::kArray;
    case dom::element_type::STRING:
      return JsonKind::kString;
    case dom::element_type::BOOL:
      return JsonKind::kBool;
    case dom::element_type::NULL_VALUE:
      return JsonKind::kNull;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      break;
  }
  return JsonKind::kNumber;
}

}  // namespace

std::optional<nlohmann::json> parseFast(std::string_view text, int max_depth) {
  if (text.size() > kFastMaxBytes) return std::nullopt;
  max_depth = std::min(max_depth, kFastMaxDepth);
  dom::element root;
  if (threadParser().parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  json out;
  if (!build(root, out, 0, max_depth)) return std::nullopt;
  return out;
}

std::optional<Message> readMessageFast(std::string_view text, int max_depth) {
  if (text.size() > kFastMaxBytes) return std::nullopt;
  max_depth = std::min(max_depth, kFastMaxDepth);
  dom::object root;
  if (max_depth < 1 ||
      threadParser().parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  Message message;
  bool has_version = false, has_method = false, has_id = false, has_params = false;
  for (dom::key_value_pair member : root) {
    dom::element value = member.value;
    if (member.key == "jsonrpc") {
      std::string_view version;
      if (has_version || value.get(version) != simdjson::SUCCESS || version != "2.0") {
        return std::nullopt;
      }
      has_version = true;
    } else if (member.key == "method") {
      std::string_view method;
      if (has_method || value.get(method) != simdjson::SUCCESS || method.empty()) {
        return std::nullopt;
      }
      message.method = method;
      has_method = true;
    } else if (member.key == "id") {
      dom::element_type type = value.type();
      if (has_id || (type != dom::element_type::STRING && type != dom::element_type::INT64 &&
                     type != dom::element_type::UINT64)) {
        return std::nullopt;
      }
      if (!build(value, message.id, 1, max_depth)) return std::nullopt;
      has_id = true;
    } else if (member.key == "params") {
      if (has_params || value.type() != dom::element_type::OBJECT ||
          !build(value, message.params, 1, max_depth)) {
        return std::nullopt;
      }
      has_params = true;
    } else if (!fits(value, 1, max_depth)) {
      return std::nullopt;
    }
  }
  if (!has_version || !has_method) return std::nullopt;
  message.kind = has_id ? MessageKind::kRequest : MessageKind::kNotification;
  return message;
}

bool scanObject(
    std::string_view text,
    const std::function<bool(std::string_view key, JsonKind kind, std::size_t size)>& visit) {
  if (text.size() > kFastMaxBytes) return false;
  dom::object root;
  if (threadParser().parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return false;
  }
  for (dom::key_value_pair member : root) {
    dom::element_type type = member.value.type();
    std::size_t size = type == dom::element_type::ARRAY    ? dom::array(member.value).size()
                       : type == dom::element_type::OBJECT ? dom::object(member.value).size()
                                                           : 0;
    if (!visit(member.key, kindOf(type), size)) return false;
  }
  return true;
}

}  // namespace switchboard::mcp::jsonrpc
