#include "mcp/server/server.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/protocol/envelope.hpp"
#include "tests/mcp/server/capture_stream.hpp"
#include "tests/mcp/server/send_request.hpp"

namespace switchboard::mcp {
namespace {

using nlohmann::json;
using server::Call;
using server::RequestContext;
using server::Server;
using testing::CaptureStream;

protocol::ClientContext modernClient(json caps = json::object()) {
  protocol::ClientContext client;
  client.era = protocol::Era::kModern;
  client.version = "2026-07-28";
  client.setCapabilities(std::move(caps));
  return client;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : session_(std::make_shared<protocol::Session>("s1")) {
    server::ToolDef echo;
    echo.name = "echo";
    echo.description = "echo";
    server_.addTool(echo, [](const json& args, RequestContext&) -> Result<json> {
      return json{{"content", {{{"type", "text"}, {"text", args.value("text", "")}}}}};
    });
    server::ToolDef ask;
    ask.name = "ask";
    ask.description = "asks for a name";
    server_.addTool(ask, [](const json&, RequestContext& ctx) -> Result<json> {
      Result<json> answer =
          ctx.ask("user_name", "elicitation/create",
                  {{"message", "name?"},
                   {"requestedSchema", {{"type", "object"}, {"properties", json::object()}}}});
      if (!answer.ok()) {
        if (answer.status().code() == StatusCode::kUnavailable) ctx.setRequestState("s");
        return answer.status();
      }
      return json{{"content", {{{"type", "text"}, {"text", "state=" + ctx.requestState()}}}}};
    });
  }

  json call(const std::string& method, json params, protocol::ClientContext client,
            std::shared_ptr<CaptureStream>* out = nullptr) {
    auto stream = testing::sendRequest(server_, next_id_++, method, std::move(params),
                                       std::move(client), session_);
    if (out) *out = stream;
    return stream->wait();
  }

  json legacy(const std::string& method, json params = json::object()) {
    return call(method, std::move(params), session_->context());
  }

  Server server_;
  std::shared_ptr<protocol::Session> session_;
  int next_id_ = 1;
};

TEST_F(ServerTest, InitializeNegotiatesVersionAndAnswersUnknownVersionsWithTheNewest) {
  json r = legacy("initialize", {{"protocolVersion", "2025-06-18"},
                                 {"capabilities", json::object()},
                                 {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-06-18");
  EXPECT_TRUE(r["result"]["capabilities"].contains("tools"));
  EXPECT_EQ(session_->context().version, "2025-06-18");
  r = legacy("initialize", {{"protocolVersion", "1999-01-01"}, {"capabilities", json::object()}});
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-11-25");
  r = legacy("initialize", {{"capabilities", json::object()}});
  EXPECT_EQ(r["error"]["code"], -32602);
}

TEST_F(ServerTest, RoutesByEraFirstThenMethod) {
  EXPECT_EQ(legacy("ping")["result"], json::object());
  json r = call("ping", json::object(), modernClient());
  EXPECT_EQ(r["error"]["code"], -32601);
  std::shared_ptr<CaptureStream> stream;
  call("initialize", {{"protocolVersion", "2025-11-25"}}, modernClient(), &stream);
  EXPECT_EQ(stream->status(), 404);
  EXPECT_EQ(legacy("server/discover")["error"]["code"], -32601);
  r = call("server/discover", json::object(), modernClient());
  EXPECT_EQ(r["result"]["resultType"], "complete");
  EXPECT_EQ(r["result"]["supportedVersions"], json::array({"2026-07-28"}));
  EXPECT_TRUE(r["result"].contains("ttlMs"));
  EXPECT_EQ(r["result"]["_meta"][protocol::kMetaServerInfo]["name"], "switchboard");
  EXPECT_EQ(legacy("nope/nothing")["error"]["code"], -32601);
}

TEST_F(ServerTest, ShapesResultsPerEra) {
  json legacy_list = legacy("tools/list");
  EXPECT_FALSE(legacy_list["result"].contains("resultType"));
  EXPECT_FALSE(legacy_list["result"].contains("ttlMs"));
  json modern_list = call("tools/list", json::object(), modernClient());
  EXPECT_EQ(modern_list["result"]["resultType"], "complete");
  EXPECT_EQ(modern_list["result"]["cacheScope"], "public");
  EXPECT_EQ(modern_list["result"]["tools"].size(), 2u);
}

TEST_F(ServerTest, ToolCallErrorsAreJsonRpcErrorsAndExceptionsBecomeToolErrors) {
  EXPECT_EQ(legacy("tools/call", {{"name", "missing"}})["error"]["code"], -32602);
  EXPECT_EQ(legacy("tools/call", {{"arguments", json::object()}})["error"]["code"], -32602);
  EXPECT_EQ(legacy("tools/call", {{"name", "echo"}, {"arguments", 5}})["error"]["code"], -32602);
  server::ToolDef boom;
  boom.name = "boom";
  server_.addTool(boom, [](const json&, RequestContext&) -> Result<json> {
    throw std::runtime_error("kaboom");
  });
  json r = legacy("tools/call", {{"name", "boom"}});
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("kaboom"), std::string::npos);
  EXPECT_EQ(legacy("tools/call", {{"name", "echo"},
                                  {"arguments", {{"text", "hi"}}}})["result"]["content"][0]["text"],
            "hi");
}

TEST_F(ServerTest, InputRequiredRoundTripWithSealedState) {
  json caps = {{"elicitation", json::object()}};
  json r = call("tools/call", {{"name", "ask"}}, modernClient(caps));
  ASSERT_EQ(r["result"]["resultType"], "input_required") << r.dump();
  EXPECT_EQ(r["result"]["inputRequests"]["user_name"]["method"], "elicitation/create");
  std::string state = r["result"]["requestState"];
  json retry = {
      {"name", "ask"},
      {"inputResponses", {{"user_name", {{"action", "accept"}, {"content", {{"n", "A"}}}}}}},
      {"requestState", state}};
  r = call("tools/call", retry, modernClient(caps));
  EXPECT_EQ(r["result"]["content"][0]["text"], "state=s") << r.dump();
  retry["requestState"] = state + "-TAMPERED";
  EXPECT_EQ(call("tools/call", retry, modernClient(caps))["error"]["code"], -32602);
  json elsewhere = {{"name", "echo"}, {"arguments", {{"text", "x"}}}, {"requestState", state}};
  EXPECT_EQ(call("tools/call", elsewhere, modernClient(caps))["error"]["code"], -32602)
      << "the state is sealed to tools/call of ask";
  retry["requestState"] = state;
  retry["inputResponses"]["user_name"] = 12345;
  EXPECT_EQ(call("tools/call", retry, modernClient(caps))["error"]["code"], -32602);
}

TEST_F(ServerTest, MissingClientCapabilityIsMinus32021WithTheCapabilityObject) {
  std::shared_ptr<CaptureStream> stream;
  json r = call("tools/call", {{"name", "ask"}}, modernClient(), &stream);
  EXPECT_EQ(r["error"]["code"], -32021);
  EXPECT_EQ(r["error"]["data"]["requiredCapabilities"], json({{"elicitation", json::object()}}));
  EXPECT_EQ(stream->status(), 400);
}

TEST_F(ServerTest, LegacyClientRequestGoesOutOnTheStreamAndWaitsForTheAnswer) {
  legacy("initialize",
         {{"protocolVersion", "2025-11-25"}, {"capabilities", {{"elicitation", json::object()}}}});
  auto stream = std::make_shared<CaptureStream>();
  jsonrpc::Message request;
  request.kind = jsonrpc::MessageKind::kRequest;
  request.id = "x";
  request.method = "tools/call";
  request.params = {{"name", "ask"}};
  server_.handleRequest(Call{request, session_->context(), session_, stream});
  ASSERT_TRUE(stream->waitPushed(1));
  json asked = stream->pushed()[0];
  EXPECT_EQ(asked["method"], "elicitation/create");
  jsonrpc::Message answer;
  answer.kind = jsonrpc::MessageKind::kResponse;
  answer.id = asked["id"];
  answer.result = {{"action", "accept"}};
  EXPECT_TRUE(server_.handleResponse(answer, *session_));
  json r = stream->wait();
  EXPECT_EQ(r["id"], "x");
  EXPECT_EQ(r["result"]["content"][0]["text"], "state=");
}

TEST_F(ServerTest, CancellationReachesTheRunningHandler) {
  std::atomic<bool> saw_cancel{false};
  server::ToolDef wait;
  wait.name = "wait";
  server_.addTool(wait, [&](const json&, RequestContext& ctx) -> Result<json> {
    for (int i = 0; i < 500 && !ctx.cancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    saw_cancel = ctx.cancelled();
    return Status::cancelled("stopped");
  });
  auto stream = std::make_shared<CaptureStream>();
  jsonrpc::Message request;
  request.kind = jsonrpc::MessageKind::kRequest;
  request.id = 77;
  request.method = "tools/call";
  request.params = {{"name", "wait"}};
  server_.handleRequest(Call{request, session_->context(), session_, stream});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  jsonrpc::Message cancel;
  cancel.method = "notifications/cancelled";
  cancel.params = {{"requestId", 77}};
  server_.handleNotification(cancel, session_);
  stream->wait();
  EXPECT_TRUE(saw_cancel.load());
  EXPECT_TRUE(stream->abandoned());  // no response after a legacy cancellation
}

TEST_F(ServerTest, ProgressIsSentOnlyWithATokenAndOnlyIncreasing) {
  server::ToolDef prog;
  prog.name = "prog";
  server_.addTool(prog, [](const json&, RequestContext& ctx) -> Result<json> {
    ctx.progress(1, 3, "");
    ctx.progress(1, 3, "");
    ctx.progress(2, 3, "two");
    return json{{"content", json::array()}};
  });
  std::shared_ptr<CaptureStream> stream;
  call("tools/call", {{"name", "prog"}, {"_meta", {{"progressToken", "t1"}}}}, session_->context(),
       &stream);
  auto pushed = stream->pushed();
  ASSERT_EQ(pushed.size(), 2u);
  EXPECT_EQ(pushed[0]["params"]["progressToken"], "t1");
  EXPECT_EQ(pushed[1]["params"]["progress"], 2);
  call("tools/call", {{"name", "prog"}}, session_->context(), &stream);
  EXPECT_TRUE(stream->pushed().empty());
}

TEST_F(ServerTest, ModernLogsOnlyWithALogLevel) {
  server::ToolDef logger;
  logger.name = "logger";
  server_.addTool(logger, [](const json&, RequestContext& ctx) -> Result<json> {
    ctx.log("debug", json("d"));
    ctx.log("error", json("e"));
    return json{{"content", json::array()}};
  });
  std::shared_ptr<CaptureStream> stream;
  call("tools/call", {{"name", "logger"}}, modernClient(), &stream);
  EXPECT_TRUE(stream->pushed().empty());
  protocol::ClientContext client = modernClient();
  client.log_level = "warning";
  call("tools/call", {{"name", "logger"}}, client, &stream);
  ASSERT_EQ(stream->pushed().size(), 1u);
  EXPECT_EQ(stream->pushed()[0]["params"]["level"], "error");
}

TEST_F(ServerTest, ListChangedReachesInitializedSessionsAndMatchingListenStreams) {
  std::vector<json> session_got;
  session_->setSink([&](const json& m) {
    session_got.push_back(m);
    return true;
  });
  legacy("initialize", {{"protocolVersion", "2025-11-25"}});
  session_->markInitialized();
  auto tools_stream = std::make_shared<CaptureStream>();
  auto prompts_stream = std::make_shared<CaptureStream>();
  jsonrpc::Message listen;
  listen.kind = jsonrpc::MessageKind::kRequest;
  listen.id = "L1";
  listen.method = "subscriptions/listen";
  listen.params = {{"notifications", {{"toolsListChanged", true}}}};
  server_.handleRequest(Call{listen, modernClient(), nullptr, tools_stream});
  listen.id = "L2";
  listen.params = {{"notifications", {{"promptsListChanged", true}, {"taskIds", json::array()}}}};
  server_.handleRequest(Call{listen, modernClient(), nullptr, prompts_stream});
  ASSERT_EQ(tools_stream->pushed().size(), 1u);
  EXPECT_EQ(tools_stream->pushed()[0]["method"], "notifications/subscriptions/acknowledged");
  EXPECT_EQ(prompts_stream->pushed()[0]["params"]["notifications"],
            json({{"promptsListChanged", true}}));
  server_.removeTool("echo");
  ASSERT_EQ(tools_stream->pushed().size(), 2u);
  EXPECT_EQ(tools_stream->pushed()[1]["method"], "notifications/tools/list_changed");
  EXPECT_EQ(tools_stream->pushed()[1]["params"]["_meta"][protocol::kMetaSubscriptionId], "L1");
  EXPECT_EQ(prompts_stream->pushed().size(), 1u);
  ASSERT_EQ(session_got.size(), 1u);
  EXPECT_EQ(session_got[0]["method"], "notifications/tools/list_changed");
  server_.shutdown();
  json ended = tools_stream->wait();
  EXPECT_EQ(ended["result"]["_meta"][protocol::kMetaSubscriptionId], "L1");
}

TEST_F(ServerTest, ResourcesNotFoundDiffersPerEraAndTemplatesMatch) {
  server::ResourceTemplateDef templ;
  templ.uri_template = "test://t/{id}/data";
  templ.name = "t";
  server_.addResourceTemplate(templ, [](const std::string& uri, RequestContext&) -> Result<json> {
    return json{{"contents", {{{"uri", uri}, {"text", uri}}}}};
  });
  EXPECT_EQ(
      legacy("resources/read", {{"uri", "test://t/42/data"}})["result"]["contents"][0]["text"],
      "test://t/42/data");
  json r = legacy("resources/read", {{"uri", "test://none"}});
  EXPECT_EQ(r["error"]["code"], -32002);
  EXPECT_EQ(r["error"]["data"]["uri"], "test://none");
  r = call("resources/read", {{"uri", "test://none"}}, modernClient());
  EXPECT_EQ(r["error"]["code"], -32602);
  EXPECT_EQ(r["error"]["data"]["uri"], "test://none");
}

TEST_F(ServerTest, PromptsCheckRequiredArgumentsAndCompletionFilters) {
  server::PromptDef p;
  p.name = "greet";
  p.description = "greets";
  p.arguments = {{{"name", "who"}, {"required", true}}};
  p.complete = [](const json& arg, const json&) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    for (std::string v : {"alice", "bob", "alan"}) {
      if (v.rfind(arg.value("value", ""), 0) == 0) out.push_back(v);
    }
    return out;
  };
  server_.addPrompt(p, [](const json& args, RequestContext&) -> Result<json> {
    return json{
        {"messages", {{{"role", "user"}, {"content", {{"type", "text"}, {"text", args["who"]}}}}}}};
  });
  EXPECT_EQ(legacy("prompts/get", {{"name", "greet"}})["error"]["code"], -32602);
  EXPECT_EQ(legacy("prompts/get",
                   {{"name", "greet"},
                    {"arguments", {{"who", "x"}}}})["result"]["messages"][0]["content"]["text"],
            "x");
  json r = legacy("completion/complete", {{"ref", {{"type", "ref/prompt"}, {"name", "greet"}}},
                                          {"argument", {{"name", "who"}, {"value", "al"}}}});
  EXPECT_EQ(r["result"]["completion"]["values"], json({"alice", "alan"}));
  EXPECT_EQ(legacy("completion/complete",
                   {{"ref", {{"type", "ref/prompt"}, {"name", "zzz"}}},
                    {"argument", {{"name", "a"}, {"value", ""}}}})["error"]["code"],
            -32602);
}

TEST_F(ServerTest, LoggingSetLevelValidatesTheLevel) {
  EXPECT_EQ(legacy("logging/setLevel", {{"level", "info"}})["result"], json::object());
  EXPECT_EQ(session_->logLevel(), "info");
  EXPECT_EQ(legacy("logging/setLevel", {{"level", "loud"}})["error"]["code"], -32602);
}

}  // namespace
}  // namespace switchboard::mcp
