// HttpExchange: the ResponseStream of one Streamable HTTP request (or of a legacy GET
// stream), bridging the handler's thread and the cpp-httplib connection thread.
//
// The connection thread waits (waitFirst) for the first thing the handler produces. If it
// is the response, it is sent as application/json with the error's HTTP status. If a
// notification or server->client request comes first, or the handler runs longer than
// `upgrade_after`, the exchange turns into an SSE stream (text/event-stream), pumped by
// pump() until the response is written; keep-alive comments go out while waiting.
// Clients whose Accept has no text/event-stream get JSON only: push() then drops
// notifications and refuses server->client requests.
//
// Resumable exchanges (legacy sessions; a non-empty stream id) number their SSE events
// "<stream id>-<n>" and keep them, so a client that lost the connection can reattach
// with GET + Last-Event-ID and get what it missed, then the rest; their disconnect is not
// cancellation. Other exchanges close when the client goes away (2026-07-28: that is the
// cancellation).
//
// Thread safety: push/finish/abandon/closed from any thread; waitFirst from the
// connection thread; pump from whichever connection is attached (one at a time).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "mcp/server/response_stream.hpp"

namespace httplib {
class DataSink;
}

namespace switchboard::mcp::transport {

class HttpExchange : public server::ResponseStream {
 public:
  enum class First { kJson, kStream, kNothing };

  // stream_id: empty for a non-resumable exchange.
  HttpExchange(bool can_stream, std::chrono::milliseconds keepalive, std::string stream_id = "");

  bool push(const nlohmann::json& message) override;
  void finish(const nlohmann::json& response, int http_status) override;
  void finishEncoded(std::string response, int http_status) override;
  void abandon() override;
  bool closed() const override { return closed_.load(); }

  // Waits for the response, the first pushed message, or `upgrade_after` (streams only).
  First waitFirst(std::chrono::milliseconds upgrade_after);
  // The JSON response, moved out: call once, after waitFirst() returned kJson (the
  // exchange is finished then and nothing writes it again).
  std::string takeResponseText() { return std::move(response_); }
  int httpStatus() const { return status_; }

  const std::string& streamId() const { return stream_id_; }
  // Index of the first event a connection resuming after `last_event_id` should get;
  // nullopt when the id is not one of this stream's or is no longer kept.
  std::optional<std::size_t> resumeFrom(const std::string& last_event_id) const;
  // Writes the next SSE event (from *cursor) or a keep-alive; false when the stream is
  // over for this connection.
  bool pump(httplib::DataSink& sink, std::size_t* cursor, unsigned generation);
  // A connection starts / stops pumping this exchange. A new attach() takes over from
  // any older connection (a client resuming has given up on it): its pump() ends.
  unsigned attach() {
    attached_.fetch_add(1);
    return generation_.fetch_add(1) + 1;
  }
  void detach() { attached_.fetch_sub(1); }
  bool attached() const { return attached_.load() > 0; }
  // The connection went away: closes non-resumable exchanges, detaches resumable ones.
  void disconnected();
  // Over for good (server stopping, session gone).
  void close();
  bool finished() const;

 private:
  std::string event(std::size_t index, const std::string& data) const;

  const bool can_stream_;
  const std::chrono::milliseconds keepalive_;
  const std::string stream_id_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> events_;  // event texts; index = first_index_ + position
  std::size_t first_index_ = 0;
  bool final_queued_ = false;  // the last event is the response
  std::string response_;
  int status_ = 200;
  bool finished_ = false;
  std::atomic<bool> closed_{false};
  std::atomic<int> attached_{0};
  std::atomic<unsigned> generation_{0};
};

}  // namespace switchboard::mcp::transport
