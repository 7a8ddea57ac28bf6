#include "tests/bench/mcp/line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace switchboard::bench {

Result<std::string_view> LineReader::readLine(int timeoutMs) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? 0 : timeoutMs);
  std::size_t scanFrom = pos_;
  for (;;) {
    std::size_t nl = buffer_.find('\n', scanFrom);
    if (nl != std::string::npos) {
      std::string_view line(buffer_.data() + pos_, nl - pos_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos_ = nl + 1;
      return line;
    }
    if (pos_ > 0) {  // keep only the partial line
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
    scanFrom = buffer_.size();
    if (timeoutMs >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return Status::deadlineExceeded("no complete line in time");
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return Status::unavailable(std::string("poll: ") + std::strerror(errno));
      if (r == 0) return Status::deadlineExceeded("no complete line in time");
    }
    char chunk[65536];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::unavailable(std::string("read: ") + std::strerror(errno));
    if (n == 0) return Status::unavailable("end of output");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace switchboard::bench
