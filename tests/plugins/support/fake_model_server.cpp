#include "tests/plugins/support/fake_model_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace switchboard::plugins::testing {

FakeModelServer::FakeModelServer() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Received got;
    got.path = req.path;
    got.body = req.body;
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      got.headers[lower] = value;
    }
    auto [reply, index] = next(std::move(got));
    if (reply.delay_ms > 0) {
      std::unique_lock lock(mu_);
      stopping_cv_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms),
                            [&] { return stopping_; });
    }
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (reply.is_stream) {
      serveStream(reply, index, res);
      return;
    }
    if (reply.drop) {
      // Promise a body, send part of it, then give up: the client sees the connection drop.
      res.set_content_provider(1000, "application/json",
                               [](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 if (offset == 0) sink.write("{\"type\":\"mess", 13);
                                 return offset == 0;
                               });
      return;
    }
    res.set_content(reply.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the server runs: a fake destroyed at once would never stop.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeModelServer::~FakeModelServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void FakeModelServer::serveStream(const Reply& reply, std::size_t index, httplib::Response& res) {
  struct Progress {
    std::vector<std::string> events;
    int gap_ms;
    bool broken;
    std::size_t index;
    std::size_t generation;
    std::size_t next = 0;
  };
  std::size_t generation;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
  }
  auto p = std::make_shared<Progress>(
      Progress{reply.events, reply.gap_ms, reply.broken, index, generation});
  res.set_chunked_content_provider("text/event-stream", [this, p](std::size_t,
                                                                  httplib::DataSink& sink) {
    if (p->next > 0 && p->gap_ms > 0) {
      std::unique_lock lock(mu_);
      stopping_cv_.wait_for(lock, std::chrono::milliseconds(p->gap_ms), [&] { return stopping_; });
    }
    bool stopping, replaced;
    {
      std::lock_guard lock(mu_);
      stopping = stopping_;
      replaced = generation_ != p->generation;  // script() since: record nothing
    }
    if (replaced) return false;
    if (stopping) {
      endStream(p->index, p->generation, StreamEnd::kServerStopped);
      return false;
    }
    if (p->next == p->events.size()) {
      endStream(p->index, p->generation, StreamEnd::kFinished);
      if (p->broken) return false;  // closed without the final chunk
      sink.done();
      return true;
    }
    const std::string& event = p->events[p->next];
    if (!sink.is_writable() || !sink.write(event.data(), event.size())) {
      endStream(p->index, p->generation, StreamEnd::kClientClosed);
      return false;
    }
    ++p->next;
    std::lock_guard lock(mu_);
    if (generation_ == p->generation && p->index < streams_.size())
      streams_[p->index].sent = p->next;
    return true;
  });
}

void FakeModelServer::endStream(std::size_t index, std::size_t generation, StreamEnd end) {
  std::lock_guard lock(mu_);
  if (generation == generation_ && index < streams_.size() &&
      streams_[index].end == StreamEnd::kNone) {
    streams_[index].end = end;
    stream_cv_.notify_all();
  }
}

FakeModelServer::StreamEnd FakeModelServer::streamEnd(std::size_t request,
                                                      std::chrono::milliseconds timeout,
                                                      std::size_t* events_sent) {
  std::unique_lock lock(mu_);
  stream_cv_.wait_for(lock, timeout, [&] {
    return request < streams_.size() && streams_[request].end != StreamEnd::kNone;
  });
  if (request >= streams_.size()) return StreamEnd::kNone;
  if (events_sent != nullptr) *events_sent = streams_[request].sent;
  return streams_[request].end;
}

void FakeModelServer::script(std::vector<Reply> replies) {
  std::lock_guard lock(mu_);
  replies_ = std::move(replies);
  served_ = 0;
  received_.clear();
  streams_.clear();
  ++generation_;
}

std::vector<FakeModelServer::Received> FakeModelServer::received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::pair<FakeModelServer::Reply, std::size_t> FakeModelServer::next(Received request) {
  std::lock_guard lock(mu_);
  received_.push_back(std::move(request));
  streams_.emplace_back();
  const std::size_t index = received_.size() - 1;
  if (replies_.empty())
    return {Reply{500, R"({"error":{"type":"test","message":"no script"}})"}, index};
  Reply reply = replies_[std::min(served_, replies_.size() - 1)];
  ++served_;
  return {reply, index};
}

}  // namespace switchboard::plugins::testing
