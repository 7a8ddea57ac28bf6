// LineReader: newline-delimited reading from a pipe (the stdio transport's framing, and a
// server's "listening on ..." line), with a timeout. Does not own the fd. The view returned
// by readLine() stays valid until the next call. Not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::bench {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // The next line without its "\n" (and "\r"). kUnavailable at end of file or on a read
  // error, kDeadlineExceeded when no full line arrives within timeoutMs (< 0: no limit).
  Result<std::string_view> readLine(int timeoutMs);

 private:
  int fd_;
  std::string buffer_;
  std::size_t pos_ = 0;
};

}  // namespace switchboard::bench
