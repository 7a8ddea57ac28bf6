#include "plugins/agent/claude_code/control_channel.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr std::size_t kInputChars = 200;

// At most `max` bytes, cut on a UTF-8 boundary, on one line.
std::string cut(std::string text, std::size_t max) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

std::string inputSummary(const std::string& tool, const json& input) {
  std::string_view field = ToolRule::patternField(tool);
  if (!field.empty() && input.is_object()) {
    auto it = input.find(std::string(field));
    if (it != input.end() && it->is_string()) return cut(it->get<std::string>(), kInputChars);
  }
  return cut(input.dump(), kInputChars);
}

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string line(const json& message) { return message.dump() + "\n"; }

json response(const std::string& request_id, json body) {
  return {{"type", "control_response"},
          {"response", {{"subtype", "success"}, {"request_id", request_id}, {"response", body}}}};
}

json errorResponse(const std::string& request_id, const std::string& error) {
  return {{"type", "control_response"},
          {"response", {{"subtype", "error"}, {"request_id", request_id}, {"error", error}}}};
}

}  // namespace

ControlChannel::ControlChannel(std::shared_ptr<const ToolPolicy> policy)
    : policy_(policy ? std::move(policy) : std::make_shared<const ToolPolicy>()) {}

std::string ControlChannel::userMessage(std::string_view prompt) {
  return line({{"type", "user"}, {"message", {{"role", "user"}, {"content", prompt}}}});
}

std::string ControlChannel::interruptRequest() {
  return line({{"type", "control_request"},
               {"request_id", "switchboard-interrupt-" + std::to_string(next_id_++)},
               {"request", {{"subtype", "interrupt"}}}});
}

json ControlChannel::decisionRecord(const ControlRequest& request, const ToolDecision& decision) {
  const json& r = request.request;
  std::string tool = str(r, "tool_name");
  json record = {{"tool_use_id", str(r, "tool_use_id")},
                 {"tool", tool},
                 {"input", inputSummary(tool, r.contains("input") ? r["input"] : json())},
                 {"decision", decision.allow ? "allow" : "deny"},
                 {"rule", decision.rule.empty() ? json() : json(decision.rule)}};
  if (!decision.allow) record["message"] = decision.message;
  return record;
}

ControlChannel::Answer ControlChannel::answer(const ControlRequest& request) const {
  Answer answer;
  const json& r = request.request;
  if (request.subtype != "can_use_tool") {
    std::string what = request.subtype.empty() ? std::string("(no subtype)") : request.subtype;
    answer.line = line(errorResponse(
        request.request_id, "Switchboard does not handle the control request \"" + what + "\""));
    answer.progress =
        cut("claude sent the control request " + what + "; answered with an error", kInputChars);
    return answer;
  }
  const std::string tool = str(r, "tool_name");
  if (tool.empty()) {
    answer.line = line(errorResponse(request.request_id, "can_use_tool without a tool_name"));
    answer.progress = "claude asked about a tool without a name; answered with an error";
    return answer;
  }
  const json input = r.contains("input") ? r["input"] : json::object();
  ToolDecision decision = policy_->decide(tool, input);
  json body = decision.allow ? json{{"behavior", "allow"}, {"updatedInput", input}}
                             : json{{"behavior", "deny"}, {"message", decision.message}};
  answer.line = line(response(request.request_id, std::move(body)));
  answer.decision = decisionRecord(request, decision);
  std::string summary = (*answer.decision)["input"].get<std::string>();
  answer.progress = cut(std::string(decision.allow ? "tool allowed: " : "tool denied: ") + tool +
                            (summary.empty() ? "" : " " + summary) + " (" +
                            (decision.rule.empty() ? std::string("the policy's default")
                                                   : "rule \"" + decision.rule + "\"") +
                            ")",
                        2 * kInputChars);
  return answer;
}

}  // namespace switchboard::plugins
