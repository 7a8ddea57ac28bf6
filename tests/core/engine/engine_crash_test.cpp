// The engine's crash test: a 200-step chain on sqlite, the process SIGKILLed mid-run,
// restarted; it completes with the same result as an uninterrupted run, and no step that
// had settled before the kill runs again (the restarted agent never sees its request,
// and its attempt count stays 1).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/execution_state.hpp"
#include "tests/core/engine/support/test_storage.hpp"

namespace switchboard::testing {
namespace {

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{pid, ::fdopen(fds[0], "r")};
}

std::string readLine(FILE* f) {
  std::string s;
  int c;
  while ((c = std::fgetc(f)) != EOF && c != '\n') s.push_back(static_cast<char>(c));
  if (c == EOF && s.empty()) return "\x04";
  return s;
}

struct Outcome {
  std::vector<std::string> calls;
  std::map<std::string, std::pair<std::string, int>> steps;  // key -> status, attempts
  std::string result;
  int exit_code = -1;
};

Outcome runToEnd(const std::vector<std::string>& args) {
  Outcome o;
  Child c = spawn(args);
  for (std::string l = readLine(c.out); l != "\x04"; l = readLine(c.out)) {
    std::istringstream in(l);
    std::string tag;
    in >> tag;
    if (tag == "CALL") {
      std::string r;
      in >> r;
      o.calls.push_back(r.substr(r.find('/') + 1));
    } else if (tag == "STEP") {
      std::string key, status;
      int attempts = 0;
      in >> key >> status >> attempts;
      o.steps[key] = {status, attempts};
    } else if (tag == "RESULT") {
      o.result = l.substr(7);
    }
  }
  std::fclose(c.out);
  int status = 0;
  ::waitpid(c.pid, &status, 0);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

std::string freshDb(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sb_crash_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string p = (dir / name).string();
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p + s);
  return p;
}

TEST(EngineCrash, SigkillMidRunThenRestartCompletesWithoutRerunningSettledSteps) {
  const std::string child = ENGINE_CRASH_CHILD;
  Outcome reference = runToEnd({child, freshDb("reference.db"), "run", "200", "0"});
  ASSERT_EQ(reference.exit_code, 0);
  ASSERT_EQ(reference.result.rfind("completed ", 0), 0u) << reference.result;

  // Run with 3 ms per step and SIGKILL once 60 steps are known to be committed.
  std::string db = freshDb("crash.db");
  Child c = spawn({child, db, "run", "200", "3"});
  int settled_lines = 0;
  for (std::string l = readLine(c.out); l != "\x04"; l = readLine(c.out)) {
    if (l.rfind("SETTLED ", 0) == 0 && ++settled_lines == 60) break;
  }
  ASSERT_EQ(settled_lines, 60) << "the child ended before it could be killed";
  ASSERT_EQ(::kill(c.pid, SIGKILL), 0);
  int wstatus = 0;
  ::waitpid(c.pid, &wstatus, 0);
  std::fclose(c.out);
  ASSERT_TRUE(WIFSIGNALED(wstatus));

  // What the journal holds after the kill.
  std::map<std::string, int> settled;  // key -> attempts
  std::set<std::string> unsettled;
  {
    auto store = openSqliteStore(db);
    ASSERT_TRUE(store.ok());
    Result<std::vector<Record>> execs = (*store)->list("executions", "", 10);
    ASSERT_TRUE(execs.ok());
    ASSERT_EQ(execs->size(), 1u);
    Result<std::vector<StepRecord>> steps = (*store)->steps((*execs)[0].id);
    ASSERT_TRUE(steps.ok());
    for (const StepRecord& r : *steps) {
      core::StepState s;
      ASSERT_TRUE(core::decodeStep(r, s).ok());
      if (s.status == StepStatus::kSucceeded) {
        settled[s.spec.key] = s.attempts;
      } else {
        unsettled.insert(s.spec.key);
      }
    }
  }
  ASSERT_GE(settled.size(), 60u);
  ASSERT_LT(settled.size(), 200u);
  for (const auto& [key, attempts] : settled) EXPECT_EQ(attempts, 1) << key;

  Outcome recovered = runToEnd({child, db, "recover", "200", "0"});
  ASSERT_EQ(recovered.exit_code, 0);
  EXPECT_EQ(recovered.result, reference.result);
  ASSERT_EQ(recovered.steps.size(), 200u);
  for (const std::string& key : recovered.calls) {
    EXPECT_EQ(settled.count(key), 0u) << key << " had settled before the kill and ran again";
  }
  EXPECT_EQ(recovered.calls.size(), 200 - settled.size());
  for (const auto& [key, st] : recovered.steps) {
    EXPECT_EQ(st.first, "succeeded") << key;
    auto before = settled.find(key);
    if (before != settled.end()) {
      EXPECT_EQ(st.second, before->second) << key;  // attempts prove it never ran again
    } else if (unsettled.count(key) != 0) {
      EXPECT_EQ(st.second, 2) << key;  // in flight at the kill: attempt 1 counted, re-run as 2
    } else {
      EXPECT_EQ(st.second, 1) << key;
    }
  }
  std::printf("settled before kill: %zu, in flight: %zu, run after restart: %zu\n", settled.size(),
              unsettled.size(), recovered.calls.size());
}

}  // namespace
}  // namespace switchboard::testing
