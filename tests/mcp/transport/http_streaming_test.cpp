// SSE behaviour over real loopback HTTP: progress on the POST stream, server->client
// requests answered by a second POST, the legacy GET stream, listen streams, and
// disconnect-as-cancellation.
#include <condition_variable>
#include <mutex>

#include "tests/mcp/transport/http_fixture.hpp"

namespace switchboard::mcp::testing {
namespace {

using HttpStreamingTest = HttpFixture;

// Collects an SSE response body as it arrives, on its own thread.
class SseReader {
 public:
  SseReader(int port, std::string method, json body, httplib::Headers headers) {
    thread_ = std::thread([=, this] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(10, 0);
      httplib::Request req;
      req.method = method;
      req.path = "/mcp";
      req.headers = headers;
      req.headers.emplace("Accept", "application/json, text/event-stream");
      if (!body.is_null()) {
        req.body = body.dump();
        req.headers.emplace("Content-Type", "application/json");
      }
      req.content_receiver = [this](const char* data, size_t n, uint64_t, uint64_t) {
        std::lock_guard lock(mutex_);
        text_.append(data, n);
        changed_.notify_all();
        return !stop_;
      };
      auto r = c.send(req);
      std::lock_guard lock(mutex_);
      status_ = r ? r->status : -1;
      done_ = true;
      changed_.notify_all();
    });
  }
  ~SseReader() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }
  bool waitFor(const std::string& needle) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      return text_.find(needle) != std::string::npos || done_;
    }) && text_.find(needle) != std::string::npos;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  int status_ = 0;
  bool done_ = false;
  bool stop_ = false;
  std::thread thread_;
};

TEST_F(HttpStreamingTest, ProgressTurnsTheAnswerIntoAnSseStream) {
  auto r = post({{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "tools/call"},
                 {"params", {{"name", "prog"}, {"_meta", {{"progressToken", 5}}}}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  std::vector<json> got = events(r->body);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0]["method"], "notifications/progress");
  EXPECT_EQ(got[2]["params"]["progress"], 3);
  EXPECT_EQ(got[3]["id"], 1);
  // Without a token, the same call is plain JSON.
  r = post(
      {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/call"}, {"params", {{"name", "prog"}}}});
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
}

TEST_F(HttpStreamingTest, LegacySamplingRequestIsAnsweredByAPost) {
  std::string id = initialize({{"sampling", json::object()}});
  SseReader reader(
      port_, "POST",
      {{"jsonrpc", "2.0"}, {"id", 10}, {"method", "tools/call"}, {"params", {{"name", "ask"}}}},
      {{"Mcp-Session-Id", id}});
  ASSERT_TRUE(reader.waitFor("sampling/createMessage"));
  json asked = events(reader.text()).at(0);
  auto answer = post({{"jsonrpc", "2.0"},
                      {"id", asked["id"]},
                      {"result",
                       {{"role", "assistant"},
                        {"content", {{"type", "text"}, {"text", "Paris"}}},
                        {"model", "m"}}}},
                     {{"Mcp-Session-Id", id}});
  EXPECT_EQ(answer->status, 202);
  ASSERT_TRUE(reader.waitFor("\"id\":10"));
  EXPECT_NE(reader.text().find("Paris"), std::string::npos);
}

TEST_F(HttpStreamingTest, GetStreamCarriesListChangedAndIsOnePerSession) {
  std::string id = initialize();
  SseReader reader(port_, "GET", nullptr, {{"Mcp-Session-Id", id}});
  ASSERT_TRUE(reader.waitFor(": keep-alive"));
  auto second = client().Get(
      "/mcp", httplib::Headers{{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id}});
  EXPECT_EQ(second->status, 409);
  server::ToolDef extra;
  extra.name = "extra";
  server_.addTool(extra, [](const json&, server::RequestContext&) -> Result<json> {
    return json{{"content", json::array()}};
  });
  EXPECT_TRUE(reader.waitFor("notifications/tools/list_changed"));
}

TEST_F(HttpStreamingTest, ListenStreamAcknowledgesThenDeliversTaggedNotifications) {
  json params = {{"notifications", {{"toolsListChanged", true}}}, {"_meta", modernMeta()}};
  SseReader reader(
      port_, "POST",
      {{"jsonrpc", "2.0"}, {"id", "sub-1"}, {"method", "subscriptions/listen"}, {"params", params}},
      {{"MCP-Protocol-Version", kModernVersion}, {"Mcp-Method", "subscriptions/listen"}});
  ASSERT_TRUE(reader.waitFor("notifications/subscriptions/acknowledged"));
  server_.removeTool("echo");
  ASSERT_TRUE(reader.waitFor("notifications/tools/list_changed"));
  std::vector<json> got = events(reader.text());
  EXPECT_EQ(got.back()["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "sub-1");
}

TEST_F(HttpStreamingTest, LegacyStreamsResumeWithLastEventId) {
  std::string id = initialize();
  std::string first;
  {
    SseReader reader(port_, "POST",
                     {{"jsonrpc", "2.0"},
                      {"id", 21},
                      {"method", "tools/call"},
                      {"params", {{"name", "steps"}, {"_meta", {{"progressToken", "t"}}}}}},
                     {{"Mcp-Session-Id", id}});
    ASSERT_TRUE(reader.waitFor("notifications/progress"));
    std::string text = reader.text();
    auto pos = text.find("id: ");
    ASSERT_NE(pos, std::string::npos);
    first = text.substr(pos + 4, text.find('\n', pos) - pos - 4);
    reader.stop();  // the connection drops; the request goes on
  }
  EXPECT_EQ(first.back(), '0');
  auto c = client();
  auto r = c.Get("/mcp", httplib::Headers{{"Accept", "text/event-stream"},
                                          {"Mcp-Session-Id", id},
                                          {"Last-Event-ID", first}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  std::vector<json> got = events(r->body);
  ASSERT_EQ(got.size(), 2u) << r->body;
  EXPECT_EQ(got[0]["params"]["progress"], 2);
  EXPECT_EQ(got[1]["id"], 21);
  EXPECT_EQ(got[1]["result"]["content"][0]["text"], "finished");
  auto unknown = c.Get("/mcp", httplib::Headers{{"Accept", "text/event-stream"},
                                                {"Mcp-Session-Id", id},
                                                {"Last-Event-ID", "zzz-1"}});
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(HttpStreamingTest, ClosingAModernStreamCancelsTheRequest) {
  json params = {{"name", "wait"}, {"_meta", modernMeta()}};
  {
    SseReader reader(port_, "POST",
                     {{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/call"}, {"params", params}},
                     {{"MCP-Protocol-Version", kModernVersion},
                      {"Mcp-Method", "tools/call"},
                      {"Mcp-Name", "wait"}});
    ASSERT_TRUE(reader.waitFor(": keep-alive"));
    reader.stop();
  }
  for (int i = 0; i < 300 && !wait_cancelled_; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(wait_cancelled_.load());
}

}  // namespace
}  // namespace switchboard::mcp::testing
