#include "mcp/transport/http_exchange.hpp"

#include <httplib.h>

#include "mcp/jsonrpc/codec.hpp"

namespace switchboard::mcp::transport {
namespace {

constexpr std::size_t kMaxKeptEvents = 1024;

}  // namespace

HttpExchange::HttpExchange(bool can_stream, std::chrono::milliseconds keepalive,
                           std::string stream_id)
    : can_stream_(can_stream), keepalive_(keepalive), stream_id_(std::move(stream_id)) {}

std::string HttpExchange::event(std::size_t index, const std::string& data) const {
  std::string out;
  if (!stream_id_.empty()) out = "id: " + stream_id_ + "-" + std::to_string(index) + "\n";
  out += "event: message\ndata: " + data + "\n\n";
  return out;
}

bool HttpExchange::push(const nlohmann::json& message) {
  if (!can_stream_) return false;
  std::string text = jsonrpc::Codec::encode(message);
  {
    std::lock_guard lock(mutex_);
    if (finished_ || closed_.load()) return false;
    events_.push_back(std::move(text));
    if (events_.size() > kMaxKeptEvents) {
      events_.pop_front();
      ++first_index_;
    }
  }
  changed_.notify_all();
  return true;
}

void HttpExchange::finish(const nlohmann::json& response, int http_status) {
  finishEncoded(jsonrpc::Codec::encode(response), http_status);
}

void HttpExchange::finishEncoded(std::string text, int http_status) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    response_ = text;
    events_.push_back(std::move(text));
    final_queued_ = true;
    status_ = http_status;
  }
  changed_.notify_all();
}

void HttpExchange::abandon() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
  }
  changed_.notify_all();
}

void HttpExchange::close() {
  closed_.store(true);
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

void HttpExchange::disconnected() {
  if (stream_id_.empty()) close();
}

bool HttpExchange::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

HttpExchange::First HttpExchange::waitFirst(std::chrono::milliseconds upgrade_after) {
  std::unique_lock lock(mutex_);
  auto ready = [this] { return finished_ || !events_.empty(); };
  if (can_stream_) {
    changed_.wait_for(lock, upgrade_after, ready);
  } else {
    changed_.wait(lock, ready);
  }
  bool only_response = final_queued_ && events_.size() == 1 && first_index_ == 0;
  if (only_response) return First::kJson;
  if (!events_.empty() || (!finished_ && can_stream_)) return First::kStream;
  return First::kNothing;
}

std::optional<std::size_t> HttpExchange::resumeFrom(const std::string& last_event_id) const {
  if (stream_id_.empty()) return std::nullopt;
  std::string prefix = stream_id_ + "-";
  if (last_event_id.rfind(prefix, 0) != 0) return std::nullopt;
  std::string number = last_event_id.substr(prefix.size());
  if (number.empty() || number.size() > 18 ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  std::size_t next = std::stoull(number) + 1;
  std::lock_guard lock(mutex_);
  if (next < first_index_ || next > first_index_ + events_.size()) return std::nullopt;
  return next;
}

bool HttpExchange::pump(httplib::DataSink& sink, std::size_t* cursor, unsigned generation) {
  std::unique_lock lock(mutex_);
  auto available = [&] { return *cursor < first_index_ + events_.size(); };
  changed_.wait_for(lock, keepalive_, [&] { return finished_ || available(); });
  if (closed_.load() || generation != generation_.load()) return false;
  if (*cursor < first_index_) *cursor = first_index_;  // older events were dropped
  if (available()) {
    std::size_t index = *cursor;
    std::string text = event(index, events_[index - first_index_]);
    bool last = final_queued_ && index + 1 == first_index_ + events_.size();
    lock.unlock();
    if (!sink.write(text.data(), text.size())) {
      disconnected();
      return false;
    }
    *cursor = index + 1;
    if (last) sink.done();
    return true;
  }
  if (finished_) {
    lock.unlock();
    sink.done();
    return true;
  }
  lock.unlock();
  static constexpr char kKeepAlive[] = ": keep-alive\n\n";
  if (!sink.write(kKeepAlive, sizeof(kKeepAlive) - 1)) {
    disconnected();
    return false;
  }
  return true;
}

}  // namespace switchboard::mcp::transport
