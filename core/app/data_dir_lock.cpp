#include "core/app/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace switchboard::core {

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(const std::filesystem::path& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return Status::unavailable("cannot create the data folder " + data_dir.string() + ": " +
                               error.message());
  }
  const std::string path = (data_dir / "switchboard.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::unavailable("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int saved = errno;
    char pid[32] = {};
    ssize_t n = ::pread(fd, pid, sizeof(pid) - 1, 0);
    ::close(fd);
    if (saved != EWOULDBLOCK) {
      return Status::unavailable("cannot lock " + path + ": " + std::strerror(saved));
    }
    std::string holder = n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Status::failedPrecondition(
        "another switchboard (pid " + holder + ") is using the data folder " + data_dir.string() +
        "; give this one another folder (--config data_dir or SWITCHBOARD_DATA_DIR), or share "
        "one gateway: run `switchboard serve --http` once and connect every client to it");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only for messages; the lock itself holds.
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }

}  // namespace switchboard::core
