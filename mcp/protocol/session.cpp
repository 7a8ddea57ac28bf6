#include "mcp/protocol/session.hpp"

namespace switchboard::mcp::protocol {
namespace {

// Ids "1" and 1 are different requests: key them with their JSON text (for an integer,
// its digits, without a trip through the serializer).
std::string key(const nlohmann::json& id) {
  if (id.is_number_unsigned()) return std::to_string(id.get<std::uint64_t>());
  if (id.is_number_integer()) return std::to_string(id.get<std::int64_t>());
  return id.dump();
}

}  // namespace

Session::Session(std::string id) : id_(std::move(id)) {}

Session::~Session() { close(); }

void Session::initialize(std::string version, nlohmann::json capabilities) {
  auto declared = std::make_shared<const nlohmann::json>(
      capabilities.is_object() ? std::move(capabilities) : nlohmann::json::object());
  std::lock_guard lock(mutex_);
  version_ = std::move(version);
  capabilities_ = std::move(declared);
  initialize_received_ = true;
}

bool Session::initializeReceived() const {
  std::lock_guard lock(mutex_);
  return initialize_received_;
}

void Session::markInitialized() {
  std::lock_guard lock(mutex_);
  initialized_ = true;
}

bool Session::initialized() const {
  std::lock_guard lock(mutex_);
  return initialized_;
}

ClientContext Session::context() const {
  std::lock_guard lock(mutex_);
  ClientContext out;
  out.era = Era::kLegacy;
  if (!version_.empty()) out.version = version_;
  out.capabilities = capabilities_;
  return out;
}

void Session::setLogLevel(std::string level) {
  std::lock_guard lock(mutex_);
  log_level_ = std::move(level);
}

std::string Session::logLevel() const {
  std::lock_guard lock(mutex_);
  return log_level_;
}

void Session::subscribe(const std::string& uri) {
  std::lock_guard lock(mutex_);
  subscriptions_.insert(uri);
}

void Session::unsubscribe(const std::string& uri) {
  std::lock_guard lock(mutex_);
  subscriptions_.erase(uri);
}

bool Session::subscribed(const std::string& uri) const {
  std::lock_guard lock(mutex_);
  return subscriptions_.count(uri) > 0;
}

void Session::setSink(Sink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void Session::clearSink() {
  std::lock_guard lock(mutex_);
  sink_ = nullptr;
}

bool Session::notify(const nlohmann::json& message) {
  Sink sink;
  {
    std::lock_guard lock(mutex_);
    if (!sink_ || closed_) return false;
    sink = sink_;
  }
  return sink(message);
}

nlohmann::json Session::nextRequestId() {
  std::lock_guard lock(mutex_);
  return "sb-" + std::to_string(++next_request_id_);
}

std::future<nlohmann::json> Session::expectResponse(const nlohmann::json& id) {
  std::lock_guard lock(mutex_);
  std::promise<nlohmann::json> promise;
  std::future<nlohmann::json> future = promise.get_future();
  if (closed_) {
    promise.set_value(nlohmann::json{{"error", {{"code", -32603}, {"message", "session closed"}}}});
  } else {
    pending_[key(id)] = std::move(promise);
  }
  return future;
}

void Session::forgetResponse(const nlohmann::json& id) {
  std::lock_guard lock(mutex_);
  pending_.erase(key(id));
}

bool Session::deliverResponse(const nlohmann::json& id, nlohmann::json message) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(key(id));
  if (it == pending_.end()) return false;
  it->second.set_value(std::move(message));
  pending_.erase(it);
  return true;
}

void Session::track(const nlohmann::json& id, std::shared_ptr<std::atomic<bool>> cancelled) {
  std::lock_guard lock(mutex_);
  in_flight_[key(id)] = std::move(cancelled);
}

void Session::untrack(const nlohmann::json& id) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(key(id));
}

bool Session::cancel(const nlohmann::json& id) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(key(id));
  if (it == in_flight_.end()) return false;
  it->second->store(true);
  return true;
}

void Session::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  for (auto& [id, flag] : in_flight_) flag->store(true);
  for (auto& [id, promise] : pending_) {
    promise.set_value(nlohmann::json{{"error", {{"code", -32603}, {"message", "session closed"}}}});
  }
  pending_.clear();
  sink_ = nullptr;
}

bool Session::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void Session::touch() {
  std::lock_guard lock(mutex_);
  last_used_ = Clock::now();
}

Session::Clock::time_point Session::lastUsed() const {
  std::lock_guard lock(mutex_);
  return last_used_;
}

}  // namespace switchboard::mcp::protocol
