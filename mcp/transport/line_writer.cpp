#include "mcp/transport/line_writer.hpp"

#include <unistd.h>

#include <cerrno>

#include "mcp/jsonrpc/codec.hpp"

namespace switchboard::mcp::transport {

bool LineWriter::write(const nlohmann::json& message) {
  if (closed_.load()) return false;
  std::string line = jsonrpc::Codec::encode(message);
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      closed_.store(true);
      return false;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace switchboard::mcp::transport
