// DataDirLock: one gateway per data folder. Two gateways on one store would both recover
// the same unfinished executions and run their steps twice, so start() takes an exclusive
// flock on <data_dir>/switchboard.lock and keeps it while the gateway lives. The kernel
// drops the lock when the process dies (even by SIGKILL), so a crash never leaves a stale
// lock behind. The file holds the owner's pid, for the error message only.
//
// Ownership: owns the file descriptor. Thread safety: a value type; not shared.
#pragma once

#include <filesystem>
#include <memory>

#include "switchboard/status.hpp"

namespace switchboard::core {

class DataDirLock {
 public:
  // Creates the folder when missing. FailedPrecondition naming the holder's pid when
  // another process holds the lock; Unavailable when the file cannot be opened.
  static Result<std::unique_ptr<DataDirLock>> acquire(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace switchboard::core
