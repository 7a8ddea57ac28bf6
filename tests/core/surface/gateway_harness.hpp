// GatewayHarness: a real Gateway on the bundled plugins (memory or sqlite storage in a
// fresh temporary folder) and an in-process MCP client that sends requests through the
// Server's own dispatch (Server::handleRequest with a ResponseStream that records what
// the server sends), so every call takes the same path as over stdio or HTTP.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/app/cli.hpp"
#include "core/app/gateway.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/surface/tool_catalog.hpp"
#include "mcp/server/server.hpp"

namespace switchboard::core::testing {

using nlohmann::json;

// A ResponseStream that keeps every message and the final response.
class RecordingStream : public mcp::server::ResponseStream {
 public:
  bool push(const json& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    pushed_.push_back(message);
    return true;
  }
  void finish(const json& response, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    response_ = response;
    done_ = true;
    cv_.notify_all();
  }
  void abandon() override {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned_ = true;
    done_ = true;
    cv_.notify_all();
  }
  bool closed() const override { return false; }

  // The response (null when abandoned or not there within `seconds`).
  json wait(int seconds) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; });
    return response_;
  }
  std::vector<json> pushed() {
    std::lock_guard<std::mutex> lock(mu_);
    return pushed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> pushed_;
  json response_;
  bool done_ = false;
  bool abandoned_ = false;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sb-surface-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class GatewayHarness {
 public:
  // Starts a gateway on `storage` ("memory" or "sqlite") in `data_dir`.
  GatewayHarness(const std::string& storage, const std::filesystem::path& data_dir) {
    registry_ = std::make_unique<PluginRegistry>(nullptr, data_dir,
                                                 schemaDir() / "plugin-manifest.schema.json");
    // As `serve` does: agent types, patterns and storage backends load on first use.
    PluginSelection selection;
    selection.on_first_use = gatewayOnFirstUseKinds();
    registry_->discover({std::filesystem::path(SWITCHBOARD_BUILD_DIR) / "plugins"}, selection);
    GatewayOptions options;
    options.config.data_dir = data_dir;
    options.config.storage.backend = storage;
    options.schema_dir = schemaDir();
    options.check_output = true;
    Result<std::unique_ptr<Gateway>> started = Gateway::start(*registry_, options);
    status_ = started.status();
    if (started.ok()) gateway_ = std::move(*started);
    Result<ToolCatalog> catalog = ToolCatalog::load(schemaDir() / "tools", true);
    if (catalog.ok()) catalog_ = std::make_unique<ToolCatalog>(std::move(*catalog));
  }
  ~GatewayHarness() {
    gateway_.reset();
    registry_.reset();
  }

  static std::filesystem::path schemaDir() {
    return std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas";
  }
  const Status& status() const { return status_; }
  Gateway& gateway() { return *gateway_; }
  PluginRegistry& registry() { return *registry_; }

  // One JSON-RPC request through the server; returns the whole response message.
  json request(const std::string& method, json params,
               std::shared_ptr<RecordingStream> stream = nullptr,
               std::shared_ptr<mcp::protocol::Session> session = nullptr, json id = nullptr) {
    if (!stream) stream = std::make_shared<RecordingStream>();
    mcp::server::Call call;
    call.request.kind = mcp::jsonrpc::MessageKind::kRequest;
    call.request.id = id.is_null() ? json(next_id_++) : id;
    call.request.method = method;
    call.request.params = std::move(params);
    call.session = std::move(session);
    call.stream = stream;
    gateway_->server().handleRequest(std::move(call));
    return stream->wait(60);
  }

  // One request as a 2026-07-28 client with these capabilities (e.g. the tasks extension).
  json modernRequest(const std::string& method, json params, json capabilities,
                     std::shared_ptr<RecordingStream> stream = nullptr) {
    if (!stream) stream = std::make_shared<RecordingStream>();
    mcp::server::Call call;
    call.request.kind = mcp::jsonrpc::MessageKind::kRequest;
    call.request.id = next_id_++;
    call.request.method = method;
    call.request.params = std::move(params);
    call.client.era = mcp::protocol::Era::kModern;
    call.client.version = "2026-07-28";
    call.client.setCapabilities(std::move(capabilities));
    call.stream = stream;
    gateway_->server().handleRequest(std::move(call));
    return stream->wait(60);
  }

  // tools/call; returns the CallToolResult. Checks every structuredContent against the
  // tool's outputSchema and remembers which tools answered successfully.
  json callTool(const std::string& name, json arguments,
                std::shared_ptr<RecordingStream> stream = nullptr, json meta = nullptr) {
    json params{{"name", name}, {"arguments", std::move(arguments)}};
    if (!meta.is_null()) params["_meta"] = meta;
    json response = request("tools/call", std::move(params), std::move(stream));
    EXPECT_TRUE(response.contains("result")) << name << ": " << response.dump();
    json result = response.value("result", json::object());
    if (result.contains("structuredContent") && catalog_) {
      Result<ToolCatalog::Entry> entry = catalog_->entry(name);
      EXPECT_TRUE(entry.ok() && entry->output) << name << ": no output schema to check";
      if (entry.ok() && entry->output) {
        std::vector<std::string> bad = entry->output->violations(result["structuredContent"]);
        EXPECT_TRUE(bad.empty()) << name << " output does not match its schema: "
                                 << (bad.empty() ? "" : bad.front());
        std::lock_guard<std::mutex> lock(mu_);
        validated_.insert(name);
      }
    }
    return result;
  }
  static bool isError(const json& result) { return result.value("isError", false); }
  static std::string text(const json& result) {
    if (!result.contains("content") || result["content"].empty()) return "";
    return result["content"][0].value("text", "");
  }
  std::set<std::string> validated() {
    std::lock_guard<std::mutex> lock(mu_);
    return validated_;
  }

  // A started scripted agent; returns its id.
  std::string makeAgent(const std::string& name, json config, std::vector<std::string> caps = {}) {
    json args{{"name", name}, {"type", "scripted"}, {"config", std::move(config)}};
    if (!caps.empty()) args["capabilities"] = caps;
    json result = callTool("agent_create", args);
    EXPECT_FALSE(isError(result)) << text(result);
    return result["structuredContent"]["agent"].value("id", "");
  }

 private:
  std::unique_ptr<PluginRegistry> registry_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<ToolCatalog> catalog_;
  Status status_;
  int next_id_ = 1;
  std::mutex mu_;
  std::set<std::string> validated_;
};

}  // namespace switchboard::core::testing
