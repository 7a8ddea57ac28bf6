// One gateway per data folder: a second lock on the same folder is refused with the
// holder's pid and what to do instead; the lock is free again once released, and a
// folder that does not exist yet is created.
#include "core/app/data_dir_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace switchboard::core {
namespace {

std::filesystem::path freshDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  return dir / "nested";
}

TEST(DataDirLock, SecondHolderIsRefusedUntilTheFirstReleases) {
  std::filesystem::path dir = freshDir("sb_lock_test");
  Result<std::unique_ptr<DataDirLock>> first = DataDirLock::acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status().toString();
  EXPECT_TRUE(std::filesystem::exists(dir / "switchboard.lock"));

  Result<std::unique_ptr<DataDirLock>> second = DataDirLock::acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  const std::string message = second.status().message();
  EXPECT_NE(message.find("pid " + std::to_string(::getpid())), std::string::npos) << message;
  EXPECT_NE(message.find("serve --http"), std::string::npos) << message;

  first->reset();
  Result<std::unique_ptr<DataDirLock>> third = DataDirLock::acquire(dir);
  EXPECT_TRUE(third.ok()) << third.status().toString();
}

TEST(DataDirLock, FolderThatCannotBeCreatedIsAClearError) {
  Result<std::unique_ptr<DataDirLock>> lock = DataDirLock::acquire("/proc/sb_lock_test");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.status().message().find("/proc/sb_lock_test"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::core
