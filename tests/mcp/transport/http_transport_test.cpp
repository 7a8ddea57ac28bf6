// Malformed input of every kind over real loopback HTTP: each gets the right status and
// JSON-RPC error, and the server keeps serving.
#include "tests/mcp/transport/http_fixture.hpp"

namespace switchboard::mcp::testing {
namespace {

class HttpTransportTest : public HttpFixture {
 protected:
  void expectStillServing() {
    auto r = post({{"jsonrpc", "2.0"}, {"id", 99}, {"method", "ping"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(body(r)["result"], json::object());
  }
};

TEST_F(HttpTransportTest, HealthzAnswers) {
  auto r = client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpTransportTest, BrokenJsonWrongTypesAndBatchesAreRefused) {
  auto r = client().Post("/mcp", baseHeaders(), "{\"jsonrpc\":", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], -32700);
  EXPECT_TRUE(body(r)["id"].is_null());
  r = post(json::array({{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}}));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], -32600);
  r = post({{"jsonrpc", "2.0"}, {"id", 5}, {"method", "tools/call"}, {"params", "x"}});
  EXPECT_EQ(body(r)["error"]["code"], -32600);
  EXPECT_EQ(body(r)["id"], 5);
  r = post({{"jsonrpc", "2.0"}, {"id", 6}, {"method", "tools/call"}, {"params", {{"name", 3}}}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["error"]["code"], -32602);
  r = client().Post("/mcp", baseHeaders(), "{}", "text/plain");
  EXPECT_EQ(r->status, 415);
  expectStillServing();
}

TEST_F(HttpTransportTest, OversizedBodiesGet413) {
  std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":")" +
                    std::string(100 * 1024, 'a') + "\"}}";
  auto r = client().Post("/mcp", baseHeaders(), big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  expectStillServing();
}

TEST_F(HttpTransportTest, UnknownMethodsAre32601WithEraSpecificStatus) {
  auto r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "no/such"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["error"]["code"], -32601);
  for (const char* removed : {"no/such", "initialize", "ping", "logging/setLevel"}) {
    r = postModern(removed, json::object());
    EXPECT_EQ(r->status, 404) << removed;
    EXPECT_EQ(body(r)["error"]["code"], -32601) << removed;
    EXPECT_EQ(body(r)["id"], 1);
  }
}

TEST_F(HttpTransportTest, ForeignOriginAndHostAre403) {
  auto r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}},
                {{"Origin", "http://evil.example.com"}});
  EXPECT_EQ(r->status, 403);
  r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}, {{"Host", "evil.example.com"}});
  EXPECT_EQ(r->status, 403);
  r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}},
           {{"Origin", "http://localhost:" + std::to_string(port_)}});
  EXPECT_EQ(r->status, 200);
  expectStillServing();
}

TEST_F(HttpTransportTest, SessionLifecycleUnknownAndDeletedSessionsAre404) {
  std::string id = initialize();
  ASSERT_EQ(id.size(), 32u);
  for (char c : id) EXPECT_TRUE(c >= 0x21 && c <= 0x7e);
  auto r = post({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}},
                {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-11-25"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["result"]["tools"].size(), 5u);
  r = post({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/list"}}, {{"Mcp-Session-Id", "nope"}});
  EXPECT_EQ(r->status, 404);
  auto c = client();
  auto d = c.Delete("/mcp", httplib::Headers{{"Mcp-Session-Id", id}});
  EXPECT_EQ(d->status, 200);
  r = post({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "tools/list"}}, {{"Mcp-Session-Id", id}});
  EXPECT_EQ(r->status, 404);
  d = c.Delete("/mcp", httplib::Headers{{"Mcp-Session-Id", id}});
  EXPECT_EQ(d->status, 404);
  auto g = c.Get("/mcp", httplib::Headers{{"Accept", "text/event-stream"}});
  EXPECT_EQ(g->status, 400);
  expectStillServing();
}

TEST_F(HttpTransportTest, SessionsExpireWhenIdle) {
  transport_->stop();
  options_.session_idle_timeout = std::chrono::seconds(1);
  startTransport();
  std::string id = initialize();
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto r =
      post({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}}, {{"Mcp-Session-Id", id}});
  EXPECT_EQ(r->status, 404);
}

TEST_F(HttpTransportTest, ModernLadderAndHeaderChecks) {
  auto r = post(
      {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "server/discover"}, {"params", json::object()}},
      {{"MCP-Protocol-Version", kModernVersion}, {"Mcp-Method", "server/discover"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], -32602);
  json params = {{"_meta", modernMeta()}};
  params["_meta"]["io.modelcontextprotocol/protocolVersion"] = "v999.0.0";
  r = post({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "server/discover"}, {"params", params}},
           {{"MCP-Protocol-Version", "v999.0.0"}, {"Mcp-Method", "server/discover"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], -32022);
  EXPECT_EQ(body(r)["error"]["data"]["requested"], "v999.0.0");
  r = post({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "server/discover"}, {"params", params}},
           {{"MCP-Protocol-Version", kModernVersion}, {"Mcp-Method", "server/discover"}});
  EXPECT_EQ(body(r)["error"]["code"], -32020);
  r = postModern("tools/call", {{"name", "echo"}}, {{"Mcp-Name", "other"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], -32020);
  r = postModern("tools/call", {{"name", "echo"}, {"arguments", {{"text", "ok"}}}},
                 {{"Mcp-Name", "echo"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["result"]["resultType"], "complete");
  EXPECT_FALSE(r->has_header("Mcp-Session-Id"));
  r = postModern("tools/call", {{"name", "ask"}}, {{"Mcp-Name", "ask"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["data"]["requiredCapabilities"], json({{"sampling", json::object()}}));
  auto g = client().Get("/mcp", httplib::Headers{{"Accept", "text/event-stream"},
                                                 {"MCP-Protocol-Version", kModernVersion}});
  EXPECT_EQ(g->status, 405);
}

TEST_F(HttpTransportTest, BearerTokenIsRequiredWhenConfiguredAndNonLoopbackNeedsOne) {
  transport_->stop();
  options_.bearer_token = "s3cret";
  startTransport();
  auto r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}});
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}},
           {{"Authorization", "Bearer wrong!"}});
  EXPECT_EQ(r->status, 401);
  r = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}},
           {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(r->status, 200);
  transport::HttpOptions open;
  open.host = "0.0.0.0";
  transport::HttpTransport exposed(server_, open);
  EXPECT_EQ(exposed.start().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(HttpTransportTest, NotificationsAndResponsesAre202) {
  auto r = post(
      {{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 1}}}});
  EXPECT_EQ(r->status, 202);
  EXPECT_TRUE(r->body.empty());
  std::string id = initialize();
  r = post({{"jsonrpc", "2.0"}, {"id", "sb-404"}, {"result", json::object()}},
           {{"Mcp-Session-Id", id}});
  EXPECT_EQ(r->status, 202);
}

}  // namespace
}  // namespace switchboard::mcp::testing
