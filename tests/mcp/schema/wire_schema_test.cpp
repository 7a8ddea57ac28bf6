// Every message the server sends in scripted sessions — with the conformance plugin's
// fixtures, over both eras — validated against the official schema.json of the version
// the session speaks: the whole message as a JSON-RPC message of that schema, and its
// result/params as the method's own type (ListToolsResult, ProgressNotification, ...).
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <set>
#include <thread>

#include "mcp/protocol/envelope.hpp"
#include "mcp/server/server.hpp"
#include "switchboard/plugin.hpp"
#include "tests/mcp/schema/schema_validator.hpp"
#include "tests/mcp/server/capture_stream.hpp"
#include "tests/mcp/server/send_request.hpp"

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
      {"initialize", "InitializeResult"},
      {"ping", "EmptyResult"},
      {"logging/setLevel", "EmptyResult"},
      {"resources/subscribe", "EmptyResult"},
      {"resources/unsubscribe", "EmptyResult"},
      {"server/discover", "DiscoverResult"},
      {"tools/list", "ListToolsResult"},
      {"tools/call", "CallToolResult"},
      {"resources/list", "ListResourcesResult"},
      {"resources/templates/list", "ListResourceTemplatesResult"},
      {"resources/read", "ReadResourceResult"},
      {"prompts/list", "ListPromptsResult"},
      {"prompts/get", "GetPromptResult"},
      {"completion/complete", "CompleteResult"},
      {"subscriptions/listen", "SubscriptionsListenResult"},
      // The Tasks extension defines no core types: its results are Results (resultType
      // required), checked further by checkTaskShapes().
      {"tasks/get", "Result"},
      {"tasks/update", "Result"},
      {"tasks/cancel", "Result"}};
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
      {"elicitation/create", "ElicitRequest"},
      {"notifications/tasks", "JSONRPCNotification"}};
  return types;
}

const json kTasksCaps = {{"sampling", json::object()},
                         {"elicitation", json::object()},
                         {"roots", json::object()},
                         {"extensions", {{"io.modelcontextprotocol/tasks", json::object()}}}};

bool isIsoTime(const json& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return s.size() >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
         s[16] == ':' && s.back() == 'Z';
}

// The Task fields of SEP-2663 (no core schema defines them): "" or what is wrong.
std::string taskShapeProblems(const json& task) {
  std::string out;
  auto need = [&](bool ok, const char* what) {
    if (!ok) out += std::string(what) + "; ";
  };
  need(task.contains("taskId") && task["taskId"].is_string(), "taskId string");
  static const std::set<std::string> kStatuses = {"working", "input_required", "completed",
                                                  "failed", "cancelled"};
  need(task.contains("status") && task["status"].is_string() &&
           kStatuses.count(task["status"].get<std::string>()),
       "status one of the five");
  need(isIsoTime(task.value("createdAt", json())), "createdAt ISO 8601");
  need(isIsoTime(task.value("lastUpdatedAt", json())), "lastUpdatedAt ISO 8601");
  need(task.contains("ttlMs") && (task["ttlMs"].is_null() || task["ttlMs"].is_number_integer()),
       "ttlMs integer or null");
  need(!task.contains("pollIntervalMs") || task["pollIntervalMs"].is_number_integer(),
       "pollIntervalMs integer");
  need(!task.contains("statusMessage") || task["statusMessage"].is_string(),
       "statusMessage string");
  for (const char* gone : {"task", "ttl", "pollInterval", "requestState"}) {
    need(!task.contains(gone), "no v1 or MRTR field");
  }
  return out;
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
      c.setCapabilities(std::move(caps));
      c.log_level = "debug";
    }
    return c;
  }

  // Sends a request, answers server->client requests, records everything sent.
  json call(const std::string& method, json params,
            json caps = {{"sampling", json::object()},
                         {"elicitation", json::object()},
                         {"roots", json::object()}}) {
    auto stream = testing::sendRequest(server_, ++next_id_, method, std::move(params), client(caps),
                                       session_);
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
        answer.result =
            m["method"] == "sampling/createMessage"
                ? json{{"role", "assistant"},
                       {"content", {{"type", "text"}, {"text", "Paris"}}},
                       {"model", "m"}}
                : json{{"action", "accept"}, {"content", {{"username", "u"}, {"email", "e@x"}}}};
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
    std::string error_type =
        validator_.hasDefinition("JSONRPCErrorResponse") ? "JSONRPCErrorResponse" : "JSONRPCError";
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
        std::string result_type = part.value("resultType", "");
        type = result_type == "input_required" ? "InputRequiredResult"
               : result_type == "task"         ? "Result"  // CreateTaskResult (extension)
                                               : resultTypes().at(method);
      } else if (auto it = messageTypes().find(message.value("method", ""));
                 it != messageTypes().end()) {
        type = it->second;
      }
      if (type.empty()) {
        ADD_FAILURE() << "no schema type for " << message.dump();
        continue;
      }
      ASSERT_TRUE(validator_.hasDefinition(type)) << type;
      EXPECT_EQ(validator_.validate(type, part), "")
          << version_ << " " << type << " " << part.dump();
      ++typed;
    }
    EXPECT_GT(typed, 20);
  }

  // Every task-shaped message (CreateTaskResult, tasks/get, notifications/tasks) carries
  // the SEP-2663 fields, and what it inlines validates as its core type. Returns how many.
  int checkTaskShapes() {
    std::lock_guard lock(mutex_);
    int checked = 0;
    for (const auto& [method, message] : sent_) {
      const json* task = nullptr;
      if (message.contains("result") &&
          (message["result"].value("resultType", "") == "task" || method == "tasks/get")) {
        task = &message["result"];
      } else if (message.value("method", "") == "notifications/tasks") {
        task = &message["params"];
      }
      if (task == nullptr) continue;
      ++checked;
      EXPECT_EQ(taskShapeProblems(*task), "") << message.dump();
      std::string status = task->value("status", "");
      bool created = task->value("resultType", "") == "task";
      if (created) {
        for (const char* inline_field : {"result", "error", "inputRequests"}) {
          EXPECT_FALSE(task->contains(inline_field)) << message.dump();
        }
        continue;
      }
      if (status == "completed") {
        EXPECT_EQ(validator_.validate("CallToolResult", task->value("result", json())), "")
            << message.dump();
      }
      if (status == "failed") {
        EXPECT_EQ(validator_.validate("Error", task->value("error", json())), "") << message.dump();
        EXPECT_FALSE(task->contains("result"));
      }
      if (status == "input_required") {
        EXPECT_TRUE(task->contains("inputRequests")) << message.dump();
        EXPECT_EQ(validator_.validate("InputRequests", (*task)["inputRequests"]), "")
            << message.dump();
      }
    }
    return checked;
  }

  // tasks/get until the task has `status` (each call is recorded and checked).
  json pollTask(const std::string& id, const std::string& status) {
    json r;
    for (int i = 0; i < 300; ++i) {
      r = call("tasks/get", {{"taskId", id}}, kTasksCaps);
      if (r["result"].value("status", "") == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(r["result"].value("status", ""), status) << r.dump();
    return r;
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
  for (const char* tool :
       {"test_simple_text", "test_image_content", "test_audio_content", "test_embedded_resource",
        "test_multiple_content_types", "test_error_handling", "test_logging_tool",
        "json_schema_2020_12_tool"}) {
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
  w.call("prompts/get",
         {{"name", "test_prompt_with_arguments"}, {"arguments", {{"arg1", "a"}, {"arg2", "b"}}}});
  w.call("prompts/get", {{"name", "test_prompt_with_embedded_resource"},
                         {"arguments", {{"resourceUri", "test://x"}}}});
  w.call("prompts/get", {{"name", "test_prompt_with_image"}});
  w.call("completion/complete",
         {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
          {"argument", {{"name", "arg1"}, {"value", "te"}}}});
  w.call("unknown/method", json::object());
}

void scriptLegacy(WireSchema& w, const std::string& version) {
  w.call("initialize",
         {{"protocolVersion", version},
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
  SchemaValidator legacy(std::string(SWITCHBOARD_SOURCE_DIR) +
                         "/tests/mcp/schema/2025-11-25/schema.json");
  SchemaValidator modern(std::string(SWITCHBOARD_SOURCE_DIR) +
                         "/tests/mcp/schema/2026-07-28/schema.json");
  EXPECT_NE(legacy.validate("CallToolResult", {{"content", "text"}}), "");
  EXPECT_NE(legacy.validate("ListToolsResult", {{"tools", {{{"description", "no name"}}}}}), "");
  EXPECT_NE(legacy.validate("CallToolResult",
                            {{"content", json::array()}, {"structuredContent", json::array()}}),
            "");
  EXPECT_EQ(legacy.validate("CallToolResult", {{"content", json::array()}}), "");
  EXPECT_NE(modern.validate("CallToolResult", {{"content", json::array()}}), "");  // no resultType
  EXPECT_NE(
      modern.validate("ListToolsResult", {{"tools", json::array()}, {"resultType", "complete"}}),
      "");
  EXPECT_NE(legacy.validate("JSONRPCMessage",
                            {{"jsonrpc", "1.0"}, {"id", 1}, {"result", json::object()}}),
            "");
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
  for (const char* tool :
       {"test_input_required_result_elicitation", "test_input_required_result_sampling",
        "test_input_required_result_list_roots", "test_input_required_result_multiple_inputs",
        "test_input_required_result_request_state"}) {
    w.call("tools/call", {{"name", tool}});
  }
  w.call("tools/call", {{"name", "test_missing_capability"}}, json::object());
  w.call("prompts/get", {{"name", "test_input_required_result_prompt"}});
  auto listen = testing::sendRequest(
      w.server_, "listen-1", "subscriptions/listen",
      {{"notifications",
        {{"toolsListChanged", true}, {"resourceSubscriptions", {"test://static-text"}}}}},
      w.client(json::object()));
  w.call("tools/call", {{"name", "test_trigger_tool_change"}});
  w.server_.notifyResourceUpdated("test://static-text");
  // The Tasks extension: every outcome a task can have, and its notifications.
  json created = w.call(
      "tools/call", {{"name", "confirm_delete"}, {"arguments", {{"filename", "f"}}}}, kTasksCaps);
  std::string confirm_id = created["result"].value("taskId", "");
  ASSERT_FALSE(confirm_id.empty()) << created.dump();
  auto task_listen =
      testing::sendRequest(w.server_, "listen-tasks", "subscriptions/listen",
                           {{"notifications", {{"taskIds", {confirm_id}}}}}, w.client(kTasksCaps));
  w.pollTask(confirm_id, "input_required");
  w.call(
      "tasks/update",
      {{"taskId", confirm_id},
       {"inputResponses", {{"confirm", {{"action", "accept"}, {"content", {{"confirm", true}}}}}}}},
      kTasksCaps);
  w.pollTask(confirm_id, "completed");
  json failing = w.call("tools/call", {{"name", "failing_job"}}, kTasksCaps);
  w.pollTask(failing["result"].value("taskId", ""), "completed");
  json broken = w.call("tools/call", {{"name", "protocol_error_job"}}, kTasksCaps);
  w.pollTask(broken["result"].value("taskId", ""), "failed");
  json slow = w.call("tools/call", {{"name", "slow_compute"}, {"arguments", {{"seconds", 30}}}},
                     kTasksCaps);
  w.call("tasks/cancel", {{"taskId", slow["result"].value("taskId", "")}}, kTasksCaps);
  w.pollTask(slow["result"].value("taskId", ""), "cancelled");
  w.call("tools/call", {{"name", "failing_job"}}, json::object());  // -32021
  w.call("tasks/get", {{"taskId", "nope"}}, kTasksCaps);            // -32602
  w.call("tasks/result", {{"taskId", "nope"}}, kTasksCaps);         // -32601
  EXPECT_GE(w.checkTaskShapes(), 10);
  for (int i = 0; i < 200 && task_listen->pushed().size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto task_notes = task_listen->pushed();
  ASSERT_GE(task_notes.size(), 3u);  // acknowledged, then the task's changes
  EXPECT_EQ(task_notes[0]["params"]["notifications"]["taskIds"], json::array({confirm_id}));
  w.server_.shutdown();
  json ended = listen->wait();
  auto pushed = listen->pushed();
  ASSERT_GE(pushed.size(), 3u);
  SchemaValidator validator(std::string(SWITCHBOARD_SOURCE_DIR) +
                            "/tests/mcp/schema/2026-07-28/schema.json");
  pushed.insert(pushed.end(), task_notes.begin(), task_notes.end());
  for (const auto& m : pushed) {
    EXPECT_EQ(validator.validate("JSONRPCMessage", m), "") << m.dump();
    EXPECT_EQ(validator.validate(messageTypes().at(m["method"]), m), "") << m.dump();
    if (m["method"] == "notifications/tasks") {
      EXPECT_EQ(taskShapeProblems(m["params"]), "") << m.dump();
      EXPECT_EQ(m["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "listen-tasks");
    }
  }
  EXPECT_EQ(validator.validate("SubscriptionsListenResult", ended["result"]), "") << ended.dump();
  w.checkAll();
}

// A context for calling the conformance plugin directly: no client, nothing cancelled.
class QuietContext : public ToolContext {
 public:
  void progress(double, double, std::string_view) noexcept override {}
  void log(std::string_view, std::string_view) noexcept override {}
  bool cancelled() const noexcept override { return false; }
  bool clientSupports(std::string_view) const noexcept override { return false; }
  Result<std::string> clientRequest(std::string_view, std::string_view,
                                    std::string_view) noexcept override {
    return Status::unimplemented("no client");
  }
  std::string requestState() const override { return ""; }
  void setRequestState(std::string_view) noexcept override {}
  void notifyCatalogChanged() noexcept override {}
  Status becomeTask() noexcept override { return Status::unimplemented("no tasks"); }
};

// The conformance plugin writes plain text results as text (textResultJson); whatever the
// text holds, they must read back as the same result the JSON builder gives.
TEST(ConformancePlugin, TextResultsWrittenAsTextReadBackExactly) {
  auto provider = loadConformance();
  ASSERT_TRUE(provider);
  QuietContext context;
  auto textResult = [](const std::string& text) {
    return json{{"content", json::array({{{"type", "text"}, {"text", text}}})}};
  };
  auto simple = provider->callTool("test_simple_text", "{}", context);
  ASSERT_TRUE(simple.ok()) << simple.status().toString();
  EXPECT_EQ(json::parse(*simple), textResult("This is a simple text response for testing."));
  const std::string region = "quote \" backslash \\ newline \n tab \t nul \u0001 é 😀 </script>";
  auto escaped = provider->callTool("test_custom_header", json{{"region", region}}.dump(), context);
  ASSERT_TRUE(escaped.ok()) << escaped.status().toString();
  EXPECT_EQ(json::parse(*escaped), textResult("Region: " + region));
}

}  // namespace
}  // namespace switchboard::mcp::testing
