// Server-sent events as the Anthropic Messages API and OpenAI chat completions stream them,
// for scripting FakeModelServer::Reply::stream() in tests.
//
// Test code only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard::plugins::testing {

inline std::string sseEvent(const std::string& name, const nlohmann::json& data) {
  return "event: " + name + "\ndata: " + data.dump() + "\n\n";
}
inline std::string sseData(const std::string& data) { return "data: " + data + "\n\n"; }

struct AnthropicEvents {
  static std::string start(int input_tokens, int cache_read = 0) {
    return sseEvent("message_start", {{"type", "message_start"},
                                      {"message",
                                       {{"id", "msg_1"},
                                        {"type", "message"},
                                        {"role", "assistant"},
                                        {"model", "claude-test"},
                                        {"content", nlohmann::json::array()},
                                        {"stop_reason", nullptr},
                                        {"usage",
                                         {{"input_tokens", input_tokens},
                                          {"output_tokens", 1},
                                          {"cache_read_input_tokens", cache_read},
                                          {"cache_creation_input_tokens", 0}}}}}});
  }
  static std::string blockStart() {
    return sseEvent("content_block_start", {{"type", "content_block_start"},
                                            {"index", 0},
                                            {"content_block", {{"type", "text"}, {"text", ""}}}});
  }
  static std::string delta(const std::string& text) {
    return sseEvent("content_block_delta", {{"type", "content_block_delta"},
                                            {"index", 0},
                                            {"delta", {{"type", "text_delta"}, {"text", text}}}});
  }
  static std::string end(int output_tokens, const std::string& stop = "end_turn") {
    return sseEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}) +
           sseEvent("message_delta",
                    {{"type", "message_delta"},
                     {"delta", {{"stop_reason", stop}, {"stop_sequence", nullptr}}},
                     {"usage", {{"output_tokens", output_tokens}}}}) +
           sseEvent("message_stop", {{"type", "message_stop"}});
  }
  static std::string error(const std::string& type, const std::string& message) {
    return sseEvent("error",
                    {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}});
  }
  // A whole answer: start, a ping, one delta per piece, end.
  static std::vector<std::string> answer(const std::vector<std::string>& pieces, int in, int out) {
    std::vector<std::string> events = {start(in) + blockStart(),
                                       sseEvent("ping", {{"type", "ping"}})};
    for (const std::string& p : pieces) events.push_back(delta(p));
    events.push_back(end(out));
    return events;
  }
};

struct OpenAIEvents {
  static std::string chunk(const nlohmann::json& delta, const nlohmann::json& finish = nullptr) {
    return sseData(
        nlohmann::json{{"id", "chatcmpl-1"},
                       {"object", "chat.completion.chunk"},
                       {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}}
            .dump());
  }
  static std::string usage(int prompt, int completion, int cached = 0) {
    return sseData(nlohmann::json{{"id", "chatcmpl-1"},
                                  {"object", "chat.completion.chunk"},
                                  {"choices", nlohmann::json::array()},
                                  {"usage",
                                   {{"prompt_tokens", prompt},
                                    {"completion_tokens", completion},
                                    {"total_tokens", prompt + completion},
                                    {"prompt_tokens_details", {{"cached_tokens", cached}}}}}}
                       .dump());
  }
  // A whole answer: the role, one chunk per piece, the finish, the usage chunk and [DONE].
  static std::vector<std::string> answer(const std::vector<std::string>& pieces, int prompt,
                                         int completion) {
    std::vector<std::string> events = {chunk({{"role", "assistant"}, {"content", ""}})};
    for (const std::string& p : pieces) events.push_back(chunk({{"content", p}}));
    events.push_back(chunk(nlohmann::json::object(), "stop"));
    events.push_back(usage(prompt, completion));
    events.push_back(sseData("[DONE]"));
    return events;
  }
};

}  // namespace switchboard::plugins::testing
