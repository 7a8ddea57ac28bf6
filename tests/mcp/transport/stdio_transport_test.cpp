// The stdio transport through a real pipe to a child process (mcp_test_server --stdio).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using nlohmann::json;

class Child {
 public:
  Child() {
    int in[2];
    int out[2];
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 2);
      execl(MCP_TEST_SERVER, MCP_TEST_SERVER, "--stdio", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~Child() {
    if (to_ >= 0) close(to_);
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(from_);
  }
  void send(const std::string& line) { sendRaw(line + "\n"); }
  void sendRaw(const std::string& data) {
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
      ssize_t n = write(to_, p, left);
      ASSERT_GT(n, 0);
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  void sendJson(const json& message) { send(message.dump()); }
  // The next line as JSON (discarded JSON on timeout).
  json read(int timeout_ms = 5000) {
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        json parsed = json::parse(line, nullptr, false);
        EXPECT_FALSE(parsed.is_discarded()) << "stdout carried a non-JSON line: " << line;
        return parsed;
      }
      pollfd fd{from_, POLLIN, 0};
      if (poll(&fd, 1, timeout_ms) <= 0) return json::value_t::discarded;
      char chunk[65536];
      ssize_t n = ::read(from_, chunk, sizeof chunk);
      if (n <= 0) return json::value_t::discarded;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  void closeInput() {
    close(to_);
    to_ = -1;
  }
  // Exit code, or -1 when the child is still running after timeout_ms.
  int waitExit(int timeout_ms) {
    for (int waited = 0; waited < timeout_ms; waited += 10) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(10000);
    }
    return -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
  bool exited_ = false;
  std::string buffer_;
};

json request(json id, const std::string& method, json params = json::object()) {
  return {
      {"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method}, {"params", std::move(params)}};
}

TEST(StdioTransport, ServesLegacySessionAndKeepsServingAfterMalformedLines) {
  Child child;
  child.send("{broken");
  json r = child.read();
  EXPECT_EQ(r["error"]["code"], -32700);
  EXPECT_TRUE(r["id"].is_null());
  child.send(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  EXPECT_EQ(child.read()["error"]["code"], -32600);
  child.send(R"({"jsonrpc":"2.0","id":"w","method":7})");
  r = child.read();
  EXPECT_EQ(r["error"]["code"], -32600);
  EXPECT_EQ(r["id"], "w");
  child.sendJson(request(1, "initialize",
                         {{"protocolVersion", "2025-11-25"},
                          {"capabilities", json::object()},
                          {"clientInfo", {{"name", "t"}, {"version", "1"}}}}));
  r = child.read();
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-11-25");
  child.sendJson(json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  child.sendJson(request(2, "tools/call", {{"name", "echo"}, {"arguments", {{"text", "hi"}}}}));
  r = child.read();
  EXPECT_EQ(r["id"], 2);
  EXPECT_EQ(r["result"]["structuredContent"]["text"], "hi");
  child.sendJson(request(3, "bogus/method"));
  EXPECT_EQ(child.read()["error"]["code"], -32601);
  child.sendJson(request(4, "tools/call", {{"name", "boom"}}));
  EXPECT_EQ(child.read()["result"]["isError"], true);
  child.send(std::string(5 * 1024 * 1024, 'x'));
  EXPECT_EQ(child.read()["error"]["code"], -32600);
  child.sendJson(request(5, "ping"));
  EXPECT_EQ(child.read()["id"], 5);
  child.closeInput();
  EXPECT_EQ(child.waitExit(5000), 0);
}

TEST(StdioTransport, ReadsLinesHoweverTheyAreWritten) {
  Child child;
  std::string first = request(1, "ping").dump();
  std::string second = request(2, "ping").dump();
  std::string third = request(3, "ping").dump();
  // Two whole lines and the start of a third in one write; the third ends in later reads.
  child.sendRaw(first + "\n" + second + "\n" + third.substr(0, 10));
  EXPECT_EQ(child.read()["id"], 1);
  EXPECT_EQ(child.read()["id"], 2);
  usleep(50000);
  child.sendRaw(third.substr(10, 5));
  usleep(50000);
  child.sendRaw(third.substr(15) + "\r\n");
  EXPECT_EQ(child.read()["id"], 3);
  // Blank lines are skipped; a last line without a newline is answered at EOF.
  child.sendRaw("\n \n" + request(4, "ping").dump());
  child.closeInput();
  EXPECT_EQ(child.read()["id"], 4);
  EXPECT_EQ(child.waitExit(5000), 0);
}

TEST(StdioTransport, ServesModernRequestsPerMessage) {
  Child child;
  json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
               {"io.modelcontextprotocol/clientCapabilities", json::object()}};
  child.sendJson(request(1, "server/discover", {{"_meta", meta}}));
  json r = child.read();
  EXPECT_EQ(r["result"]["resultType"], "complete");
  child.sendJson(request(2, "server/discover",
                         {{"_meta", {{"io.modelcontextprotocol/protocolVersion", "v9"}}}}));
  EXPECT_EQ(child.read()["error"]["code"], -32602);
  json bad = meta;
  bad["io.modelcontextprotocol/protocolVersion"] = "v999.0.0";
  child.sendJson(request(3, "tools/list", {{"_meta", bad}}));
  EXPECT_EQ(child.read()["error"]["code"], -32022);
  child.sendJson(request(4, "ping", {{"_meta", meta}}));
  EXPECT_EQ(child.read()["error"]["code"], -32601);
}

TEST(StdioTransport, AnswersOutOfOrderAndHonoursCancellation) {
  Child child;
  child.sendJson(request(1, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 3000}}}}));
  child.sendJson(request(2, "ping"));
  json r = child.read();
  EXPECT_EQ(r["id"], 2);  // the slow call did not block the ping
  child.sendJson(json{
      {"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 1}}}});
  child.sendJson(request(3, "ping"));
  EXPECT_EQ(child.read()["id"], 3);
  // No response ever comes for the cancelled request.
  json late = child.read(1000);
  EXPECT_TRUE(late.is_discarded()) << late.dump();
}

TEST(StdioTransport, SigtermShutsDownCleanly) {
  Child child;
  child.sendJson(request(1, "ping"));
  EXPECT_EQ(child.read()["id"], 1);
  kill(child.pid(), SIGTERM);
  EXPECT_EQ(child.waitExit(5000), 0);
}

TEST(StdioTransport, EofLetsRequestsInFlightAnswerThenExits) {
  Child child;
  child.sendJson(request(7, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 200}}}}));
  child.closeInput();
  json r = child.read();
  EXPECT_EQ(r["id"], 7);
  EXPECT_EQ(child.waitExit(5000), 0);
}

}  // namespace
