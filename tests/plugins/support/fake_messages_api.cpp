#include "tests/plugins/support/fake_messages_api.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

namespace switchboard::plugins::testing {
namespace {

using nlohmann::json;

std::string sseEvent(const std::string& name, const json& data) {
  return "event: " + name + "\ndata: " + data.dump() + "\n\n";
}

std::string toolUseIdFor(std::uint64_t serial) { return "toolu_fake" + std::to_string(serial); }

json toolInput(const FakeMessagesApi::ToolUse& tool) {
  json input = json::parse(tool.input_json, nullptr, false);
  return input.is_object() ? input : json::object();
}

json usageJson(const FakeMessagesApi::Script& s, bool start) {
  return {{"input_tokens", s.input_tokens},
          {"output_tokens", start ? 1 : s.output_tokens},
          {"cache_read_input_tokens", s.cache_read_tokens},
          {"cache_creation_input_tokens", s.cache_creation_tokens}};
}

}  // namespace

FakeMessagesApi::FakeMessagesApi() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(R"(/v1/messages/count_tokens.*)",
                [](const httplib::Request&, httplib::Response& res) {
                  res.set_content(R"({"input_tokens":42})", "application/json");
                });
  server_->Post(R"(/v1/messages)", [this](const httplib::Request& req, httplib::Response& res) {
    Script script;
    std::uint64_t serial = 0;
    std::optional<ToolUse> tool;
    {
      std::unique_lock lock(mu_);
      requests_.push_back({req.method, req.path, req.body});
      script = script_;
      serial = next_message_++;
      if (!script.hang && tool_uses_served_ < script.tool_uses.size()) {
        tool = script.tool_uses[tool_uses_served_];
        served_ids_.push_back(toolUseIdFor(serial));
        ++tool_uses_served_;
      }
      if (script.hang) {
        ++hanging_;
        released_.wait(lock, [&] { return stopping_; });
        --hanging_;
        res.status = 503;
        return;
      }
      if (script.delay_ms > 0) {
        released_.wait_for(lock, std::chrono::milliseconds(script.delay_ms),
                           [&] { return stopping_; });
      }
    }
    json body = json::parse(req.body, nullptr, false);
    std::string model = body.is_object() && body.contains("model") && body["model"].is_string()
                            ? body["model"].get<std::string>()
                            : "claude-fake";
    bool stream = body.is_object() && body.value("stream", false);
    const ToolUse* use = tool ? &*tool : nullptr;
    if (stream) {
      res.set_content(sseReply(script, use, model, serial), "text/event-stream");
    } else {
      res.set_content(jsonReply(script, use, model, serial), "application/json");
    }
  });
  auto hello = [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  };
  server_->Get("/api/hello", hello);
  server_->Options("/api/hello", hello);
  server_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404) {
      std::lock_guard lock(mu_);
      unknown_.push_back(req.method + " " + req.path);
    }
  });
  int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 200 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  port_ = server_->is_running() ? port : 0;
}

FakeMessagesApi::~FakeMessagesApi() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  released_.notify_all();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void FakeMessagesApi::setScript(Script script) {
  std::lock_guard lock(mu_);
  script_ = std::move(script);
  tool_uses_served_ = 0;
  served_ids_.clear();
}

std::string FakeMessagesApi::toolUseId(std::size_t index) const {
  std::lock_guard lock(mu_);
  return index < served_ids_.size() ? served_ids_[index] : std::string();
}

std::vector<FakeMessagesApi::Request> FakeMessagesApi::messageRequests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<std::string> FakeMessagesApi::unknownPaths() const {
  std::lock_guard lock(mu_);
  return unknown_;
}

int FakeMessagesApi::hanging() const {
  std::lock_guard lock(mu_);
  return hanging_;
}

std::string FakeMessagesApi::sseReply(const Script& s, const ToolUse* tool,
                                      const std::string& model, std::uint64_t serial) const {
  std::string id = "msg_fake" + std::to_string(serial);
  json message = {{"id", id},
                  {"type", "message"},
                  {"role", "assistant"},
                  {"model", model},
                  {"content", json::array()},
                  {"stop_reason", nullptr},
                  {"stop_sequence", nullptr},
                  {"usage", usageJson(s, true)}};
  std::string out;
  out += sseEvent("message_start", {{"type", "message_start"}, {"message", message}});
  if (tool != nullptr) {
    json block = {{"type", "tool_use"},
                  {"id", toolUseIdFor(serial)},
                  {"name", tool->name},
                  {"input", json::object()}};
    out += sseEvent("content_block_start",
                    {{"type", "content_block_start"}, {"index", 0}, {"content_block", block}});
    out += sseEvent(
        "content_block_delta",
        {{"type", "content_block_delta"},
         {"index", 0},
         {"delta", {{"type", "input_json_delta"}, {"partial_json", toolInput(*tool).dump()}}}});
  } else {
    out += sseEvent("content_block_start", {{"type", "content_block_start"},
                                            {"index", 0},
                                            {"content_block", {{"type", "text"}, {"text", ""}}}});
    out += sseEvent("content_block_delta", {{"type", "content_block_delta"},
                                            {"index", 0},
                                            {"delta", {{"type", "text_delta"}, {"text", s.text}}}});
  }
  out += sseEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
  out += sseEvent(
      "message_delta",
      {{"type", "message_delta"},
       {"delta",
        {{"stop_reason", tool != nullptr ? "tool_use" : "end_turn"}, {"stop_sequence", nullptr}}},
       {"usage", {{"output_tokens", s.output_tokens}}}});
  out += sseEvent("message_stop", {{"type", "message_stop"}});
  return out;
}

std::string FakeMessagesApi::jsonReply(const Script& s, const ToolUse* tool,
                                       const std::string& model, std::uint64_t serial) const {
  json block = tool != nullptr ? json{{"type", "tool_use"},
                                      {"id", toolUseIdFor(serial)},
                                      {"name", tool->name},
                                      {"input", toolInput(*tool)}}
                               : json{{"type", "text"}, {"text", s.text}};
  json message = {{"id", "msg_fake_json" + std::to_string(serial)},
                  {"type", "message"},
                  {"role", "assistant"},
                  {"model", model},
                  {"content", json::array({block})},
                  {"stop_reason", tool != nullptr ? "tool_use" : "end_turn"},
                  {"stop_sequence", nullptr},
                  {"usage", usageJson(s, false)}};
  return message.dump();
}

}  // namespace switchboard::plugins::testing
