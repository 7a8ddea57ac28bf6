// LineWriter: writes one JSON message per line to a file descriptor (stdout for stdio),
// whole lines at a time, from any thread.
//
// Between hold() and release() lines are gathered and written together by release() (or
// as soon as they pass kFlushBytes): the stdio reader holds while it serves the lines of
// one read, so a client that pipelines requests gets its answers in a few large writes
// instead of a system call each. Lines written by other threads meanwhile join the batch;
// they wait at most for the reader to finish what it has already read.
//
// A failed write (EPIPE: the client closed our stdout) marks the writer closed; later
// writes return false at once. Thread safety: every method is safe from any thread; hold()
// and release() come in pairs from one thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace switchboard::mcp::transport {

class LineWriter {
 public:
  static constexpr std::size_t kFlushBytes = 256 * 1024;

  explicit LineWriter(int fd) : fd_(fd) {}
  bool write(const nlohmann::json& message);
  // A message that is already JSON text without a newline (jsonrpc::Codec's output).
  bool writeLine(std::string line);
  void hold();
  void release();
  bool closed() const { return closed_.load(); }

 private:
  // Writes all of `data`; marks the writer closed on failure. Call with mutex_ held.
  bool writeAllLocked(std::string_view data);

  const int fd_;
  std::mutex mutex_;
  bool held_ = false;
  std::string pending_;  // lines gathered while held
  std::atomic<bool> closed_{false};
};

}  // namespace switchboard::mcp::transport
