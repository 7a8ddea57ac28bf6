// LineWriter: writes one JSON message per line to a file descriptor (stdout for stdio),
// whole lines at a time, from any thread.
//
// A failed write (EPIPE: the client closed our stdout) marks the writer closed; later
// writes return false at once. Thread safety: write() is serialised by a mutex.
#pragma once

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

namespace switchboard::mcp::transport {

class LineWriter {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}
  bool write(const nlohmann::json& message);
  bool closed() const { return closed_.load(); }

 private:
  const int fd_;
  std::mutex mutex_;
  std::atomic<bool> closed_{false};
};

}  // namespace switchboard::mcp::transport
