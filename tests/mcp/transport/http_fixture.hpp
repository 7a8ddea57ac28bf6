// HttpFixture: a Server with a few tools behind a real HttpTransport on 127.0.0.1:<free
// port>, and helpers that POST JSON-RPC with httplib::Client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <thread>

#include "mcp/server/server.hpp"
#include "mcp/transport/http_transport.hpp"

namespace switchboard::mcp::testing {

using nlohmann::json;

inline const char* kModernVersion = "2026-07-28";

inline json modernMeta(json caps = json::object()) {
  return {{"io.modelcontextprotocol/protocolVersion", kModernVersion},
          {"io.modelcontextprotocol/clientCapabilities", std::move(caps)}};
}

class HttpFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ToolDef echo;
    echo.name = "echo";
    echo.description = "echo";
    server_.addTool(echo, [](const json& args, server::RequestContext&) -> Result<json> {
      return json{{"content", {{{"type", "text"}, {"text", args.value("text", "")}}}}};
    });
    server::ToolDef prog;
    prog.name = "prog";
    prog.description = "progress";
    server_.addTool(prog, [](const json&, server::RequestContext& ctx) -> Result<json> {
      for (int i = 1; i <= 3; ++i) ctx.progress(i, 3, "");
      return json{{"content", {{{"type", "text"}, {"text", "done"}}}}};
    });
    server::ToolDef steps;
    steps.name = "steps";
    steps.description = "progress, a pause, more progress";
    server_.addTool(steps, [](const json&, server::RequestContext& ctx) -> Result<json> {
      ctx.progress(1, 2, "");
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      ctx.progress(2, 2, "");
      return json{{"content", {{{"type", "text"}, {"text", "finished"}}}}};
    });
    server::ToolDef ask;
    ask.name = "ask";
    ask.description = "asks the client's model";
    server_.addTool(ask, [](const json&, server::RequestContext& ctx) -> Result<json> {
      Result<json> answer =
          ctx.ask("q", "sampling/createMessage", {{"messages", json::array()}, {"maxTokens", 5}});
      if (!answer.ok()) return answer.status();
      return json{{"content", {{{"type", "text"}, {"text", answer->dump()}}}}};
    });
    server::ToolDef wait;
    wait.name = "wait";
    wait.description = "waits until cancelled";
    server_.addTool(wait, [this](const json&, server::RequestContext& ctx) -> Result<json> {
      for (int i = 0; i < 1000 && !ctx.cancelled(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      wait_cancelled_ = ctx.cancelled();
      return json{{"content", json::array()}};
    });
    options_.upgrade_after = std::chrono::milliseconds(100);
    options_.sse_keepalive = std::chrono::milliseconds(100);
    options_.max_body_bytes = 64 * 1024;
    startTransport();
  }
  void TearDown() override {
    if (transport_) transport_->stop();
    server_.shutdown();
  }
  void startTransport() {
    transport_ = std::make_unique<transport::HttpTransport>(server_, options_);
    Result<int> port = transport_->start();
    ASSERT_TRUE(port.ok()) << port.status().toString();
    port_ = *port;
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }
  httplib::Headers baseHeaders() { return {{"Accept", "application/json, text/event-stream"}}; }
  httplib::Result post(const json& body, httplib::Headers headers = {}) {
    httplib::Headers all = baseHeaders();
    for (auto& h : headers) all.insert(h);
    return client().Post("/mcp", all, body.dump(), "application/json");
  }
  httplib::Result postModern(const std::string& method, json params, httplib::Headers extra = {}) {
    params["_meta"] = modernMeta(params.contains("_caps") ? params["_caps"] : json::object());
    params.erase("_caps");
    httplib::Headers headers = {{"MCP-Protocol-Version", kModernVersion}, {"Mcp-Method", method}};
    for (auto& h : extra) headers.insert(h);
    return post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}}, headers);
  }
  static json body(const httplib::Result& r) { return json::parse(r->body, nullptr, false); }
  // The JSON of each SSE "data:" line.
  static std::vector<json> events(const std::string& sse) {
    std::vector<json> out;
    std::size_t pos = 0;
    while ((pos = sse.find("data: ", pos)) != std::string::npos) {
      std::size_t end = sse.find('\n', pos);
      out.push_back(json::parse(sse.substr(pos + 6, end - pos - 6), nullptr, false));
      pos = end;
    }
    return out;
  }
  std::string initialize(json caps = json::object()) {
    auto r = post({{"jsonrpc", "2.0"},
                   {"id", 0},
                   {"method", "initialize"},
                   {"params",
                    {{"protocolVersion", "2025-11-25"},
                     {"capabilities", caps},
                     {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}});
    EXPECT_TRUE(r && r->status == 200);
    std::string id = r ? r->get_header_value("Mcp-Session-Id") : "";
    auto note = post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                     {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-11-25"}});
    EXPECT_TRUE(note && note->status == 202);
    return id;
  }

  server::Server server_;
  transport::HttpOptions options_;
  std::unique_ptr<transport::HttpTransport> transport_;
  int port_ = 0;
  std::atomic<bool> wait_cancelled_{false};
};

}  // namespace switchboard::mcp::testing
