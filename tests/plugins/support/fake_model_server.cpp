#include "tests/plugins/support/fake_model_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>

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
    Reply reply = next(std::move(got));
    if (reply.delay_ms > 0) {
      std::unique_lock lock(mu_);
      stopping_cv_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms), [&] { return stopping_; });
    }
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (reply.drop) {
      // Promise a body, send part of it, then give up: the client sees the connection drop.
      res.set_content_provider(
          1000, "application/json",
          [](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset == 0) sink.write("{\"type\":\"mess", 13);
            return offset == 0;
          });
      return;
    }
    res.set_content(reply.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ > 0) thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() reaches only a server that is already listening; one destroyed before its
  // thread got there would listen for ever and the destructor's join would hang.
  for (int i = 0; port_ > 0 && i < 5000 && !server_->is_running(); ++i) {
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

void FakeModelServer::script(std::vector<Reply> replies) {
  std::lock_guard lock(mu_);
  replies_ = std::move(replies);
  served_ = 0;
  received_.clear();
}

std::vector<FakeModelServer::Received> FakeModelServer::received() {
  std::lock_guard lock(mu_);
  return received_;
}

FakeModelServer::Reply FakeModelServer::next(Received request) {
  std::lock_guard lock(mu_);
  received_.push_back(std::move(request));
  if (replies_.empty()) return Reply{500, R"({"error":{"type":"test","message":"no script"}})"};
  Reply reply = replies_[std::min(served_, replies_.size() - 1)];
  ++served_;
  return reply;
}

}  // namespace switchboard::plugins::testing
