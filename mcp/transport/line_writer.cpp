#include "mcp/transport/line_writer.hpp"

#include <unistd.h>

#include <cerrno>

#include "mcp/jsonrpc/codec.hpp"

namespace switchboard::mcp::transport {

bool LineWriter::write(const nlohmann::json& message) {
  if (closed_.load()) return false;
  return writeLine(jsonrpc::Codec::encode(message));
}

bool LineWriter::writeLine(std::string line) {
  if (closed_.load()) return false;
  std::lock_guard lock(mutex_);
  if (!held_) {
    line.push_back('\n');
    return writeAllLocked(line);
  }
  if (closed_.load()) return false;
  // The newline goes straight into the batch: appending it to `line` could reallocate it.
  pending_ += line;
  pending_ += '\n';
  if (pending_.size() >= kFlushBytes) {
    bool ok = writeAllLocked(pending_);
    pending_.clear();
    return ok;
  }
  return true;
}

void LineWriter::hold() {
  std::lock_guard lock(mutex_);
  held_ = true;
}

void LineWriter::release() {
  std::lock_guard lock(mutex_);
  held_ = false;
  if (pending_.empty()) return;
  writeAllLocked(pending_);
  pending_.clear();
}

bool LineWriter::writeAllLocked(std::string_view data) {
  if (closed_.load()) return false;
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      closed_.store(true);
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace switchboard::mcp::transport
