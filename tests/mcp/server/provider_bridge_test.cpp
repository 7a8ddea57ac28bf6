#include "mcp/server/provider_bridge.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "mcp/protocol/envelope.hpp"
#include "mcp/server/server.hpp"
#include "tests/mcp/server/capture_stream.hpp"
#include "tests/mcp/server/send_request.hpp"

namespace switchboard::mcp {
namespace {

using nlohmann::json;

// A provider whose catalog the test sets; its one tool becomes a task when it can.
class FakeProvider : public ToolProvider {
 public:
  explicit FakeProvider(json catalog, json reply = nullptr)
      : catalog_(std::move(catalog)), reply_(std::move(reply)) {}
  std::string catalogJson() const override { return catalog_.dump(); }
  Result<std::string> callTool(std::string_view, std::string_view, ToolContext& context) override {
    if (!reply_.is_null()) return reply_.dump();
    Status became = context.becomeTask();
    return json{
        {"content", {{{"type", "text"}, {"text", became.ok() ? "task" : became.message()}}}}}
        .dump();
  }
  Result<std::string> readResource(std::string_view) override { return Status::notFound("none"); }
  Result<std::string> getPrompt(std::string_view, std::string_view, ToolContext&) override {
    return Status::notFound("none");
  }
  Result<std::string> complete(std::string_view, std::string_view, std::string_view) override {
    return Status::notFound("none");
  }

 private:
  json catalog_;
  json reply_;  // null: become a task when it can
};

json catalogWith(json execution) {
  json tool = {{"name", "job"}, {"inputSchema", {{"type", "object"}}}};
  if (!execution.is_null()) tool["execution"] = std::move(execution);
  return {{"tools", {tool}}};
}

TEST(ProviderBridge, ReadsTaskSupportFromTheCatalogAndDoesNotListIt) {
  server::Server server;
  ASSERT_TRUE(server
                  .addToolProvider(
                      std::make_shared<FakeProvider>(catalogWith({{"taskSupport", "required"}})))
                  .ok());
  auto tool = server.registry().tool("job");
  ASSERT_TRUE(tool);
  EXPECT_EQ(tool->def.task_support, server::TaskSupport::kRequired);
  EXPECT_FALSE(tool->def.toJson().contains("execution"));

  server::Server plain;
  ASSERT_TRUE(plain.addToolProvider(std::make_shared<FakeProvider>(catalogWith(nullptr))).ok());
  EXPECT_EQ(plain.registry().tool("job")->def.task_support, server::TaskSupport::kForbidden);
}

TEST(ProviderBridge, AMisshapenCallToolResultIsAnErrorNotPassedOn) {
  for (json bad : {json{{"content", json::array()}, {"isError", 1}}, json{{"content", "text"}}}) {
    server::Server server;
    ASSERT_TRUE(
        server.addToolProvider(std::make_shared<FakeProvider>(catalogWith(nullptr), bad)).ok());
    json response =
        testing::sendRequest(server, 1, "tools/call", {{"name", "job"}}, protocol::ClientContext{})
            ->wait();
    ASSERT_TRUE(response.contains("error")) << bad.dump() << " gave " << response.dump();
    EXPECT_NE(response["error"]["message"].get<std::string>().find("CallToolResult"),
              std::string::npos)
        << response.dump();
  }
}

TEST(ProviderBridge, RefusesAnUnknownTaskSupport) {
  server::Server server;
  for (json bad :
       {json{{"taskSupport", "sometimes"}}, json{{"taskSupport", 1}}, json("optional")}) {
    Status added = server.addToolProvider(std::make_shared<FakeProvider>(catalogWith(bad)));
    EXPECT_EQ(added.code(), StatusCode::kInvalidArgument) << bad.dump();
    EXPECT_NE(added.message().find("taskSupport"), std::string::npos);
  }
}

TEST(ProviderBridge, APluginToolBecomesATaskThroughToolContext) {
  server::Server server;
  ASSERT_TRUE(server
                  .addToolProvider(
                      std::make_shared<FakeProvider>(catalogWith({{"taskSupport", "optional"}})))
                  .ok());
  protocol::ClientContext client;
  client.era = protocol::Era::kModern;
  client.version = "2026-07-28";
  client.setCapabilities({{"extensions", {{protocol::kTasksExtension, json::object()}}}});
  auto stream = testing::sendRequest(server, 1, "tools/call", {{"name", "job"}}, client);
  json created = stream->wait();
  ASSERT_EQ(created["result"]["resultType"], "task") << created.dump();
  std::string id = created["result"]["taskId"];
  json state;
  for (int i = 0; i < 200; ++i) {
    state = server.tasks().state(id).ok() ? server.tasks().state(id)->detailedJson() : json();
    if (state.value("status", "") == "completed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(state["result"]["content"][0]["text"], "task");
}

// A plugin's result text goes out as it is when it can and is rebuilt when it must; either
// way the client gets it shaped for its era.
TEST(ProviderBridge, APluginResultIsShapedForTheEraWhetherOrNotItIsRebuilt) {
  protocol::ClientContext legacy;
  protocol::ClientContext modern;
  modern.era = protocol::Era::kModern;
  modern.version = "2026-07-28";
  const json replies[] = {
      {{"content", {{{"type", "text"}, {"text", "as it is"}}}}},
      {{"structuredContent", {{"a", 1}}}},
      {{"content", json::array()}, {"structuredContent", {{"a", 1}}}},
      {{"content", json::array()}, {"resultType", "complete"}, {"ttlMs", 3}},
      {{"_meta", {{"k", 1}}}, {"content", json::array()}},
  };
  for (const json& reply : replies) {
    for (const protocol::ClientContext* client : {&legacy, &modern}) {
      SCOPED_TRACE(reply.dump() + (client->modern() ? " (modern)" : " (legacy)"));
      server::Server server;
      ASSERT_TRUE(
          server.addToolProvider(std::make_shared<FakeProvider>(catalogWith(nullptr), reply)).ok());
      json response =
          testing::sendRequest(server, 7, "tools/call", {{"name", "job"}}, *client)->wait();
      ASSERT_TRUE(response.contains("result")) << response.dump();
      EXPECT_EQ(response["id"], 7);
      const json& result = response["result"];
      ASSERT_TRUE(result["content"].is_array()) << response.dump();
      if (reply.contains("structuredContent")) {
        ASSERT_FALSE(result["content"].empty()) << "the data must reach clients as text too";
        EXPECT_EQ(result["content"][0]["text"], R"({"a":1})");
      }
      if (client->modern()) {
        EXPECT_EQ(result["resultType"], "complete");
        EXPECT_TRUE(result["_meta"].contains(protocol::kMetaServerInfo));
        if (reply.contains("_meta")) {
          EXPECT_EQ(result["_meta"]["k"], 1);
        }
      } else {
        EXPECT_FALSE(result.contains("resultType"));
        EXPECT_FALSE(result.contains("ttlMs"));
      }
      if (reply.contains("_meta") && !client->modern()) {
        EXPECT_EQ(result["_meta"], reply["_meta"]);
      }
    }
  }
}

}  // namespace
}  // namespace switchboard::mcp
