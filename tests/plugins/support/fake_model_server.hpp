// FakeModelServer: a loopback HTTP server that stands in for a model API (Anthropic,
// OpenAI) in tests. Answers every POST with the next scripted reply (the last one repeats):
// a status, headers and body, after an optional delay, or a dropped connection (headers
// sent, then the connection closed in the middle of the body), or a server-sent event
// stream — its events written one at a time with a pause between them, then ended, or broken
// off (the connection closed without the stream's end). Records what it received and how
// each stream ended: whether the client closed the connection before the last event.
//
// Test code only. Thread safety: every method may be called from any thread; replies are
// served on the server's own threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace switchboard::plugins::testing {

class FakeModelServer {
 public:
  struct Reply {
    using Headers = std::vector<std::pair<std::string, std::string>>;
    Reply(int status_ = 200, std::string body_ = "", Headers headers_ = {}, int delay_ms_ = 0,
          bool drop_ = false)
        : status(status_),
          body(std::move(body_)),
          headers(std::move(headers_)),
          delay_ms(delay_ms_),
          drop(drop_) {}
    // A 200 text/event-stream reply: `events` (each a complete "event: ...\ndata: ...\n\n")
    // written one by one, `gap_ms` apart; `broken`: the connection is closed after them
    // without ending the stream.
    static Reply stream(std::vector<std::string> events, int gap_ms = 0, bool broken = false) {
      Reply r;
      r.is_stream = true;
      r.events = std::move(events);
      r.gap_ms = gap_ms;
      r.broken = broken;
      return r;
    }
    int status;
    std::string body;
    Headers headers;
    int delay_ms;  // before answering
    bool drop;     // send the headers and part of the body, then close the connection
    bool is_stream = false;
    std::vector<std::string> events;
    int gap_ms = 0;
    bool broken = false;
  };
  struct Received {
    std::string path;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
  };
  enum class StreamEnd {
    kNone,           // not a stream, or it has not ended yet
    kFinished,       // every event was sent (then the stream ended or was broken as scripted)
    kClientClosed,   // the client closed the connection before every event was sent
    kServerStopped,  // the fake was shutting down
  };

  FakeModelServer();
  ~FakeModelServer();
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  bool running() const { return port_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void script(std::vector<Reply> replies);
  std::vector<Received> received();
  // How the stream answering request number `request` (0-based since script()) ended;
  // waits up to `timeout` for it to end. `events_sent` gets the events written.
  StreamEnd streamEnd(std::size_t request, std::chrono::milliseconds timeout,
                      std::size_t* events_sent = nullptr);

 private:
  struct StreamRecord {
    StreamEnd end = StreamEnd::kNone;
    std::size_t sent = 0;
  };
  std::pair<Reply, std::size_t> next(Received request);
  void serveStream(const Reply& reply, std::size_t index, httplib::Response& res);
  void endStream(std::size_t index, std::size_t generation, StreamEnd end);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stopping_cv_;
  std::condition_variable stream_cv_;
  bool stopping_ = false;
  std::vector<Reply> replies_;
  std::size_t served_ = 0;
  std::vector<Received> received_;
  std::vector<StreamRecord> streams_;  // by request index
  std::size_t generation_ = 0;         // bumped by script(): older streams record nothing
};

}  // namespace switchboard::plugins::testing
