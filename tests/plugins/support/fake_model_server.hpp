// FakeModelServer: a loopback HTTP server that stands in for a model API (Anthropic,
// OpenAI) in tests. Answers every POST with the next scripted reply (the last one repeats):
// a status, headers and body, after an optional delay, or a dropped connection (headers
// sent, then the connection closed in the middle of the body). Records what it received.
//
// Test code only. Thread safety: every method may be called from any thread; replies are
// served on the server's own threads.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
}

namespace switchboard::plugins::testing {

class FakeModelServer {
 public:
  struct Reply {
    using Headers = std::vector<std::pair<std::string, std::string>>;
    Reply(int status_ = 200, std::string body_ = "", Headers headers_ = {}, int delay_ms_ = 0,
          bool drop_ = false)
        : status(status_), body(std::move(body_)), headers(std::move(headers_)),
          delay_ms(delay_ms_), drop(drop_) {}
    int status;
    std::string body;
    Headers headers;
    int delay_ms;  // before answering
    bool drop;     // send the headers and part of the body, then close the connection
  };
  struct Received {
    std::string path;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
  };

  FakeModelServer();
  ~FakeModelServer();
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  bool running() const { return port_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void script(std::vector<Reply> replies);
  std::vector<Received> received();

 private:
  Reply next(Received request);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::vector<Reply> replies_;
  std::size_t served_ = 0;
  std::vector<Received> received_;
};

}  // namespace switchboard::plugins::testing
