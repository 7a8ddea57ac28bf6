// TempDirForTest: a fresh directory under $TMPDIR (or /tmp) removed with everything in it
// when the object is destroyed. Test code only; not thread-safe.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace switchboard::plugins::testing {

class TempDirForTest {
 public:
  TempDirForTest() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/switchboard-test-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDirForTest() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDirForTest(const TempDirForTest&) = delete;
  TempDirForTest& operator=(const TempDirForTest&) = delete;

  // Empty when the directory could not be created.
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace switchboard::plugins::testing
