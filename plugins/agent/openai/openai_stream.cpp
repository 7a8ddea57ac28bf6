#include "plugins/agent/openai/openai_stream.hpp"

#include <nlohmann/json.hpp>

#include "plugins/agent/openai/openai_dialect.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

std::string textOf(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

StreamError errorOf(const json& e) {
  StreamError out;
  if (!e.is_object()) {
    out.message = e.is_string() ? e.get<std::string>() : e.dump();
    return out;
  }
  const std::string type = textOf(e.value("type", json()));
  const std::string code = textOf(e.value("code", json()));
  const std::string message = textOf(e.value("message", json()));
  if (auto c = e.find("code"); c != e.end() && c->is_number_integer() &&
                               c->get<std::int64_t>() >= 400 && c->get<std::int64_t>() < 600) {
    out.status = static_cast<int>(c->get<std::int64_t>());
  } else if (type == "invalid_request_error") {
    out.status = 400;
  } else if (type == "insufficient_quota" || type == "requests" || type == "tokens" ||
             code == "rate_limit_exceeded") {
    out.status = 429;
  }
  out.message = type.empty() ? message : (message.empty() ? type : type + ": " + message);
  if (out.message.empty()) out.message = "an error chunk without a message";
  return out;
}

}  // namespace

Status OpenAIStream::onEvent(std::string_view, std::string_view data) {
  if (data == "[DONE]") {
    state_.complete = true;
    return {};
  }
  json doc = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::invalidArgument("a chunk is not a JSON object");
  }
  if (auto e = doc.find("error"); e != doc.end() && !e->is_null()) {
    state_.error = errorOf(*e);
    return {};
  }
  auto choices = doc.find("choices");
  if (choices != doc.end() && !choices->is_null()) {
    if (!choices->is_array()) return Status::invalidArgument("a chunk's choices is not an array");
    for (const json& choice : *choices) {
      if (!choice.is_object()) return Status::invalidArgument("a chunk's choice is not an object");
      if (auto index = choice.find("index");
          index != choice.end() && index->is_number_integer() && index->get<std::int64_t>() != 0) {
        continue;  // only the first choice is the answer
      }
      if (auto delta = choice.find("delta"); delta != choice.end() && !delta->is_null()) {
        if (!delta->is_object()) return Status::invalidArgument("a chunk's delta is not an object");
        for (const char* field : {"content", "reasoning_content"}) {
          auto piece = delta->find(field);
          if (piece == delta->end() || piece->is_null()) continue;
          if (!piece->is_string()) {
            return Status::invalidArgument(std::string("a chunk's delta.") + field +
                                           " is not text");
          }
          const std::string& text = piece->get_ref<const std::string&>();
          if (text.empty()) continue;  // the first chunk's role-only delta
          if (std::string_view(field) == "content") state_.answer.text += text;
          state_.streamed_bytes += static_cast<std::int64_t>(text.size());
          ++state_.deltas;
        }
      }
      if (auto reason = choice.find("finish_reason");
          reason != choice.end() && reason->is_string()) {
        state_.answer.stop_reason = reason->get<std::string>();
      }
    }
  }
  if (auto usage = doc.find("usage"); usage != doc.end() && !usage->is_null()) {
    if (!usage->is_object()) return Status::invalidArgument("a chunk's usage is not an object");
    Result<Usage> counted = OpenAIDialect::readUsage(*usage);
    if (!counted.ok()) return counted.status();
    state_.answer.usage = *counted;
    state_.output_final = true;
  }
  return {};
}

}  // namespace switchboard::plugins
