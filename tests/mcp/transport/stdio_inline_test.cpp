// The stdio transport in-process: a tool that has proven quick runs on the reader thread
// (no hand-off to a worker), one that blocks never does, and answers to pipelined
// requests all arrive.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/server/call_profile.hpp"
#include "mcp/server/server.hpp"
#include "mcp/transport/stdio_transport.hpp"

namespace switchboard::mcp::transport {
namespace {

using nlohmann::json;

class InProcessStdio {
 public:
  InProcessStdio() {
    EXPECT_EQ(pipe(to_server_), 0);
    EXPECT_EQ(pipe(from_server_), 0);
    transport_ = std::make_unique<StdioTransport>(
        server_, StdioOptions{to_server_[0], from_server_[1], {}, std::chrono::seconds(5)});
    reader_ = std::thread([this] { (void)transport_->run(); });
    reader_id_ = reader_.get_id();
  }
  ~InProcessStdio() {
    close(to_server_[1]);
    reader_.join();
    transport_.reset();
    server_.shutdown();
    close(to_server_[0]);
    close(from_server_[0]);
    close(from_server_[1]);
  }
  server::Server& server() { return server_; }
  std::thread::id readerId() const { return reader_id_; }
  void send(const json& message) {
    std::string line = message.dump() + "\n";
    ASSERT_EQ(write(to_server_[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }
  json read() {
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        json out = json::parse(buffer_.substr(0, nl), nullptr, false);
        buffer_.erase(0, nl + 1);
        return out;
      }
      pollfd fd{from_server_[0], POLLIN, 0};
      if (poll(&fd, 1, 5000) <= 0) return json::value_t::discarded;
      char chunk[65536];
      ssize_t n = ::read(from_server_[0], chunk, sizeof chunk);
      if (n <= 0) return json::value_t::discarded;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  json call(int id, const std::string& tool) {
    send({{"jsonrpc", "2.0"},
          {"id", id},
          {"method", "tools/call"},
          {"params", {{"name", tool}, {"arguments", json::object()}}}});
    return read();
  }
  void initialize() {
    send({{"jsonrpc", "2.0"},
          {"id", 0},
          {"method", "initialize"},
          {"params",
           {{"protocolVersion", "2025-11-25"},
            {"capabilities", json::object()},
            {"clientInfo", {{"name", "test"}, {"version", "1"}}}}}});
    ASSERT_TRUE(read().contains("result"));
    send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  }

 private:
  server::Server server_;
  int to_server_[2] = {-1, -1};
  int from_server_[2] = {-1, -1};
  std::unique_ptr<StdioTransport> transport_;
  std::thread reader_;
  std::thread::id reader_id_;
  std::string buffer_;
};

server::ToolDef tool(const std::string& name) {
  server::ToolDef def;
  def.name = name;
  def.description = "a test tool";
  return def;
}

json text(const std::string& value) {
  return {{"content", json::array({{{"type", "text"}, {"text", value}}})}};
}

TEST(StdioInline, AQuickToolMovesOntoTheReaderThreadABlockingOneNever) {
  InProcessStdio stdio;
  std::mutex mutex;
  std::vector<std::thread::id> quick_threads;
  std::vector<std::thread::id> slow_threads;
  stdio.server().addTool(tool("quick"), [&](const json&, server::RequestContext&) -> Result<json> {
    std::lock_guard lock(mutex);
    quick_threads.push_back(std::this_thread::get_id());
    return text("quick");
  });
  stdio.server().addTool(tool("sleepy"), [&](const json&, server::RequestContext&) -> Result<json> {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    std::lock_guard lock(mutex);
    slow_threads.push_back(std::this_thread::get_id());
    return text("slept");
  });
  stdio.initialize();
  const int calls = server::CallProfile::kQuickCallsNeeded + 8;
  for (int i = 1; i <= calls; ++i) {
    json quick = stdio.call(i, "quick");
    ASSERT_EQ(quick["result"]["content"][0]["text"], "quick") << quick.dump();
    json slow = stdio.call(1000 + i, "sleepy");
    ASSERT_EQ(slow["result"]["content"][0]["text"], "slept") << slow.dump();
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(quick_threads.size(), static_cast<std::size_t>(calls));
  EXPECT_NE(quick_threads.front(), stdio.readerId()) << "a new tool must start on the pool";
  EXPECT_EQ(quick_threads.back(), stdio.readerId()) << "a proven-quick tool should run inline";
  for (const auto& id : slow_threads) {
    EXPECT_NE(id, stdio.readerId()) << "a blocking tool ran on the reader thread";
  }
}

TEST(StdioInline, PipelinedRequestsAreAllAnsweredOnce) {
  InProcessStdio stdio;
  stdio.server().addTool(tool("quick"), [](const json&, server::RequestContext&) -> Result<json> {
    return text("quick");
  });
  stdio.initialize();
  const int calls = 2000;
  std::thread writer([&] {
    for (int i = 1; i <= calls; ++i) {
      stdio.send({{"jsonrpc", "2.0"},
                  {"id", i},
                  {"method", "tools/call"},
                  {"params", {{"name", "quick"}, {"arguments", json::object()}}}});
    }
  });
  std::vector<int> seen(calls + 1, 0);
  for (int i = 0; i < calls; ++i) {
    json response = stdio.read();
    ASSERT_TRUE(response.contains("id")) << "answer " << i << " missing: " << response.dump();
    int id = response["id"].get<int>();
    ASSERT_GE(id, 1);
    ASSERT_LE(id, calls);
    ++seen[static_cast<std::size_t>(id)];
  }
  writer.join();
  for (int i = 1; i <= calls; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], 1) << "id " << i;
}

}  // namespace
}  // namespace switchboard::mcp::transport
