// Every message the server sends in scripted sessions — with the conformance plugin's
// fixtures, over both eras — validated against the official schema.json of the version
// the session speaks: the whole message as a JSON-RPC message of that schema, and its
// result/params as the method's own type (ListToolsResult, ProgressNotification, ...).
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <thread>

#include "mcp/protocol/envelope.hpp"
#include "mcp/server/server.hpp"
#include "switchboard/plugin.hpp"
#include "tests/mcp/schema/schema_validator.hpp"
#include "tests/mcp/server/capture_stream.hpp"

namespace switchboard::mcp::testing {
namespace {

using nlohmann::json;

std::shared_ptr<ToolProvider> loadConformance() {
  std::string dir = std::string(SWITCHBOARD_BUILD_DIR) + "/plugins/tools_conformance";
  auto library = std::make_shared<boost::dll::shared_library>(
      dir + "/switchboard_tools_conformance.so", boost::dll::load_mode::rtld_now);
  auto& entry = library->get_alias<const PluginDescriptor*()>(kPluginEntryPoint);
  PluginContext context{"{}", dir, "/tmp", nullptr};
  Status status;
  PluginObject* object = entry()->create(context, &status);
  if (object == nullptr) return nullptr;
  return std::shared_ptr<ToolProvider>(static_cast<ToolProvider*>(object),
                                       [library](ToolProvider* p) { delete p; });
}

const std::map<std::string, std::string>& resultTypes() {
  static const std::map<std::string, std::string> types = {
      {"initialize", "InitializeResult"}, {"ping", "EmptyResult"},
      {"logging/setLevel", "EmptyResult"}, {"resources/subscribe", "EmptyResult"},
      {"resources/unsubscribe", "EmptyResult"}, {"server/discover", "DiscoverResult"},
      {"tools/list", "ListToolsResult"}, {"tools/call", "CallToolResult"},
      {"resources/list", "ListResourcesResult"},
      {"resources/templates/list", "ListResourceTemplatesResult"},
      {"resources/read", "ReadResourceResult"}, {"prompts/list", "ListPromptsResult"},
      {"prompts/get", "GetPromptResult"}, {"completion/complete", "CompleteResult"},
      {"subscriptions/listen", "SubscriptionsListenResult"}};
  return types;
}

const std::map<std::string, std::string>& messageTypes() {
  static const std::map<std::string, std::string> types = {
      {"notifications/progress", "ProgressNotification"},
      {"notifications/message", "LoggingMessageNotification"},
      {"notifications/tools/list_changed", "ToolListChangedNotification"},
      {"notifications/prompts/list_changed", "PromptListChangedNotification"},
      {"notifications/resources/list_changed", "ResourceListChangedNotification"},
      {"notifications/resources/updated", "ResourceUpdatedNotification"},
      {"notifications/subscriptions/acknowledged", "SubscriptionsAcknowledgedNotification"},
      {"sampling/createMessage", "CreateMessageRequest"},
      {"elicitation/create", "ElicitRequest"}};
  return types;
}

class WireSchema {
 public:
  explicit WireSchema(const std::string& version)
      : version_(version),
        validator_(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/mcp/schema/" + version +
                   "/schema.json"),
        session_(std::make_shared<protocol::Session>("wire")) {
    provider_ = loadConformance();
    EXPECT_TRUE(provider_);
    if (provider_) {
      EXPECT_TRUE(server_.addToolProvider(provider_).ok());
    }
    session_->setSink([this](const json& m) {
      std::lock_guard lock(mutex_);
      sent_.push_back({"", m});
      return true;
    });
    server_.attachSession(session_);
  }
  ~WireSchema() { server_.shutdown(); }

  bool modern() const { return version_ == "2026-07-28"; }

  protocol::ClientContext client(json caps) {
    protocol::ClientContext c = session_->context();
    if (modern()) {
      c.era = protocol::Era::kModern;
      c.version = version_;
      c.capabilities = std::move(caps);
      c.log_level = "debug";
    }
    return c;
  }

  // Sends a request, answers server->client requests, records everything sent.
  json call(const std::string& method, json params,
            json caps = {{"sampling", json::object()}, {"elicitation", json::object()},
                         {"roots", json::object()}}) {
    auto stream = std::make_shared<CaptureStream>();
    jsonrpc::Message request;
    request.kind = jsonrpc::MessageKind::kRequest;
    request.id = ++next_id_;
    request.method = method;
    request.params = std::move(params);
    server_.handleRequest(server::Call{request, client(caps), session_, stream});
    std::size_t answered = 0;
    json response;
    for (int i = 0; i < 1000; ++i) {
      response = stream->wait(std::chrono::milliseconds(5));
      auto pushed = stream->pushed();
      for (; answered < pushed.size(); ++answered) {
        const json& m = pushed[answered];
        if (!m.contains("id")) continue;
        jsonrpc::Message answer;
        answer.kind = jsonrpc::MessageKind::kResponse;
        answer.id = m["id"];
        answer.result = m["method"] == "sampling/createMessage"
                            ? json{{"role", "assistant"},
                                   {"content", {{"type", "text"}, {"text", "Paris"}}},
                                   {"model", "m"}}
                            : json{{"action", "accept"},
                                   {"content", {{"username", "u"}, {"email", "e@x"}}}};
        server_.handleResponse(answer, *session_);
      }
      if (!response.is_null()) break;
    }
    std::lock_guard lock(mutex_);
    for (const auto& m : stream->pushed()) sent_.push_back({"", m});
    sent_.push_back({method, response});
    return response;
  }

  void checkAll() {
    std::lock_guard lock(mutex_);
    ASSERT_FALSE(sent_.empty());
    std::string envelope = "JSONRPCMessage";
    std::string error_type = validator_.hasDefinition("JSONRPCErrorResponse") ? "JSONRPCErrorResponse"
                                                                              : "JSONRPCError";
    int typed = 0;
    for (const auto& [method, message] : sent_) {
      ASSERT_FALSE(message.is_null()) << "no response to " << method;
      EXPECT_EQ(validator_.validate(envelope, message), "") << version_ << " " << message.dump();
      if (message.contains("error")) {
        EXPECT_EQ(validator_.validate(error_type, message), "") << message.dump();
        continue;
      }
      std::string type;
      json part = message;
      if (message.contains("result")) {
        part = message["result"];
        type = part.value("resultType", "") == "input_required" ? "InputRequiredResult"
                                                                : resultTypes().at(method);
      } else if (auto it = messageTypes().find(message.value("method", "")); it != messageTypes().end()) {
        type = it->second;
      }
      if (type.empty()) {
        ADD_FAILURE() << "no schema type for " << message.dump();
        continue;
      }
      ASSERT_TRUE(validator_.hasDefinition(type)) << type;
      EXPECT_EQ(validator_.validate(type, part), "") << version_ << " " << type << " " << part.dump();
      ++typed;
    }
    EXPECT_GT(typed, 20);
  }

  server::Server server_;

 private:
  std::string version_;
  SchemaValidator validator_;
  std::shared_ptr<protocol::Session> session_;
  std::shared_ptr<ToolProvider> provider_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, json>> sent_;
  int next_id_ = 0;
};

void scriptCommon(WireSchema& w) {
  w.call("tools/list", json::object());
  for (const char* tool : {"test_simple_text", "test_image_content", "test_audio_content",
                           "test_embedded_resource", "test_multiple_content_types",
                           "test_error_handling", "test_logging_tool", "json_schema_2020_12_tool"}) {
    w.call("tools/call", {{"name", tool}, {"arguments", json::object()}});
  }
  w.call("tools/call", {{"name", "test_tool_with_progress"}, {"_meta", {{"progressToken", "p"}}}});
  w.call("tools/call", {{"name", "nope"}});
  w.call("resources/list", json::object());
  w.call("resources/templates/list", json::object());
  for (const char* uri : {"test://static-text", "test://static-binary", "test://template/123/data",
                          "test://nonexistent-resource-for-conformance-testing"}) {
    w.call("resources/read", {{"uri", uri}});
  }
  w.call("prompts/list", json::object());
  w.call("prompts/get", {{"name", "test_simple_prompt"}});
  w.call("prompts/get", {{"name", "test_prompt_with_arguments"}, {"arguments", {{"arg1", "a"}, {"arg2", "b"}}}});
  w.call("prompts/get", {{"name", "test_prompt_with_embedded_resource"},
                         {"arguments", {{"resourceUri", "test://x"}}}});
  w.call("prompts/get", {{"name", "test_prompt_with_image"}});
  w.call("completion/complete", {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
                                 {"argument", {{"name", "arg1"}, {"value", "te"}}}});
  w.call("unknown/method", json::object());
}

void scriptLegacy(WireSchema& w, const std::string& version) {
  w.call("initialize", {{"protocolVersion", version},
                        {"capabilities", {{"sampling", json::object()}, {"elicitation", json::object()}}},
                        {"clientInfo", {{"name", "wire"}, {"version", "1"}}}});
  w.call("ping", json::object());
  w.call("logging/setLevel", {{"level", "debug"}});
  scriptCommon(w);
  w.call("tools/call", {{"name", "test_tool_with_logging"}});
  w.call("tools/call", {{"name", "test_sampling"}, {"arguments", {{"prompt", "Capital?"}}}});
  w.call("tools/call", {{"name", "test_elicitation"}, {"arguments", {{"message", "Who?"}}}});
  w.call("resources/subscribe", {{"uri", "test://watched-resource"}});
  w.call("resources/unsubscribe", {{"uri", "test://watched-resource"}});
}

TEST(SchemaValidator, RejectsMessagesTheSchemasForbid) {
  SchemaValidator legacy(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/mcp/schema/2025-11-25/schema.json");
  SchemaValidator modern(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/mcp/schema/2026-07-28/schema.json");
  EXPECT_NE(legacy.validate("CallToolResult", {{"content", "text"}}), "");
  EXPECT_NE(legacy.validate("ListToolsResult", {{"tools", {{{"description", "no name"}}}}}), "");
  EXPECT_NE(legacy.validate("CallToolResult", {{"content", json::array()}, {"structuredContent", json::array()}}), "");
  EXPECT_EQ(legacy.validate("CallToolResult", {{"content", json::array()}}), "");
  EXPECT_NE(modern.validate("CallToolResult", {{"content", json::array()}}), "");  // no resultType
  EXPECT_NE(modern.validate("ListToolsResult", {{"tools", json::array()}, {"resultType", "complete"}}), "");
  EXPECT_NE(legacy.validate("JSONRPCMessage", {{"jsonrpc", "1.0"}, {"id", 1}, {"result", json::object()}}), "");
}

TEST(WireSchema, Legacy2025_11_25) {
  WireSchema w("2025-11-25");
  scriptLegacy(w, "2025-11-25");
  w.call("tools/call", {{"name", "test_elicitation_sep1034_defaults"}});
  w.call("tools/call", {{"name", "test_elicitation_sep1330_enums"}});
  w.call("tools/call", {{"name", "test_trigger_tool_change"}});  // session-wide list_changed
  w.checkAll();
}

TEST(WireSchema, Legacy2025_06_18) {
  WireSchema w("2025-06-18");
  scriptLegacy(w, "2025-06-18");
  w.checkAll();
}

TEST(WireSchema, Modern2026_07_28) {
  WireSchema w("2026-07-28");
  w.call("server/discover", json::object());
  scriptCommon(w);
  for (const char* tool : {"test_input_required_result_elicitation", "test_input_required_result_sampling",
                           "test_input_required_result_list_roots",
                           "test_input_required_result_multiple_inputs",
                           "test_input_required_result_request_state"}) {
    w.call("tools/call", {{"name", tool}});
  }
  w.call("tools/call", {{"name", "test_missing_capability"}}, json::object());
  w.call("prompts/get", {{"name", "test_input_required_result_prompt"}});
  auto listen = std::make_shared<CaptureStream>();
  jsonrpc::Message request;
  request.kind = jsonrpc::MessageKind::kRequest;
  request.id = "listen-1";
  request.method = "subscriptions/listen";
  request.params = {{"notifications", {{"toolsListChanged", true}, {"resourceSubscriptions", {"test://static-text"}}}}};
  w.server_.handleRequest(server::Call{request, w.client(json::object()), nullptr, listen});
  w.call("tools/call", {{"name", "test_trigger_tool_change"}});
  w.server_.notifyResourceUpdated("test://static-text");
  w.server_.shutdown();
  json ended = listen->wait();
  auto pushed = listen->pushed();
  ASSERT_GE(pushed.size(), 3u);
  SchemaValidator validator(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/mcp/schema/2026-07-28/schema.json");
  for (const auto& m : pushed) {
    EXPECT_EQ(validator.validate("JSONRPCMessage", m), "") << m.dump();
    EXPECT_EQ(validator.validate(messageTypes().at(m["method"]), m), "") << m.dump();
  }
  EXPECT_EQ(validator.validate("SubscriptionsListenResult", ended["result"]), "") << ended.dump();
  w.checkAll();
}

}  // namespace
}  // namespace switchboard::mcp::testing
