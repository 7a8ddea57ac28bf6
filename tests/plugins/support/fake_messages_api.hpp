// FakeMessagesApi: a loopback stand-in for the Anthropic Messages API, so tests can run the
// real Claude Code CLI offline (ANTHROPIC_BASE_URL=baseUrl()).
//
// It answers POST /v1/messages (SSE when the body asks for "stream", JSON otherwise) with
// the current Script: first one tool_use reply per request for each of Script::tool_uses in
// turn (stop_reason "tool_use", the model asking Claude Code to run that tool), then the
// text reply for every later request, with the Script's token counts. It also answers
// POST /v1/messages/count_tokens,
// and HEAD/GET /api/hello; any other path gets 404 and is recorded in unknownPaths(). In
// hang mode a messages request never gets an answer (until the fake is destroyed). Every
// messages request is recorded (path and body) for assertions.
//
// The server runs on its own thread, bound to 127.0.0.1 on a free port; the destructor
// releases hanging requests and joins it. Test code only. Thread safety: every method may
// be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace switchboard::plugins::testing {

class FakeMessagesApi {
 public:
  // One turn in which the model calls a tool: {"type":"tool_use","id","name","input"}.
  struct ToolUse {
    std::string name;        // "Bash", "Write", "mcp__server__tool", ...
    std::string input_json;  // the tool's input object
  };
  struct Script {
    std::vector<ToolUse> tool_uses;  // served first, one per messages request
    std::string text = "Hello from the fake Messages API.";
    std::int64_t input_tokens = 12;
    std::int64_t output_tokens = 7;
    std::int64_t cache_read_tokens = 0;
    std::int64_t cache_creation_tokens = 0;
    std::int64_t delay_ms = 0;  // before answering
    bool hang = false;          // never answer
  };
  struct Request {
    std::string method;
    std::string path;
    std::string body;
  };

  FakeMessagesApi();
  ~FakeMessagesApi();
  FakeMessagesApi(const FakeMessagesApi&) = delete;
  FakeMessagesApi& operator=(const FakeMessagesApi&) = delete;

  // False when the server could not bind or start.
  bool running() const { return port_ > 0; }
  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The environment that points the real CLI at this fake, with `home` as its HOME, no
  // retries and no traffic to anything else.
  nlohmann::json cliEnv(const std::string& home) const {
    return {{"HOME", home},
            {"ANTHROPIC_BASE_URL", baseUrl()},
            {"ANTHROPIC_API_KEY", "sk-ant-fake-for-tests"},
            {"DISABLE_AUTOUPDATER", "1"},
            {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
            {"DISABLE_TELEMETRY", "1"},
            {"DISABLE_ERROR_REPORTING", "1"},
            {"DISABLE_BUG_COMMAND", "1"},
            {"CLAUDE_CODE_MAX_RETRIES", "0"}};
  }

  void setScript(Script script);
  // POST /v1/messages requests so far (count_tokens excluded).
  std::vector<Request> messageRequests() const;
  // Requests to paths the fake does not know.
  std::vector<std::string> unknownPaths() const;
  // Messages requests that are hanging now.
  int hanging() const;
  // The id of the tool_use block served for Script::tool_uses[index] ("" if not served yet).
  std::string toolUseId(std::size_t index) const;

 private:
  // `tool` is the tool_use to answer with, or null for the text reply.
  std::string sseReply(const Script& script, const ToolUse* tool, const std::string& model,
                       std::uint64_t serial) const;
  std::string jsonReply(const Script& script, const ToolUse* tool, const std::string& model,
                        std::uint64_t serial) const;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable released_;
  bool stopping_ = false;
  int hanging_ = 0;
  std::uint64_t next_message_ = 1;
  Script script_;
  std::size_t tool_uses_served_ = 0;     // of script_.tool_uses
  std::vector<std::string> served_ids_;  // tool_use ids, in the order served
  std::vector<Request> requests_;
  std::vector<std::string> unknown_;
};

}  // namespace switchboard::plugins::testing
