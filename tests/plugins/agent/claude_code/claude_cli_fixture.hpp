// ClaudeCliFixture: the base of the tests that run the REAL Claude Code CLI (from the e2e
// cache) through the claude_code plugin, the real plugin host and the process supervisor,
// against a loopback fake of the Messages API (tests/plugins/support/fake_messages_api.hpp),
// with a temporary HOME so nothing of the machine's own Claude setup is read or written.
// TearDown fails the test when any process with that HOME (claude, its tools, git) is left.
//
// Test code only; header-only so each test file can derive its own fixture.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/plugins/support/agent_waiter.hpp"
#include "tests/plugins/support/fake_messages_api.hpp"
#include "tests/plugins/support/plugin_loader.hpp"
#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins::testing {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using Waiter = AgentWaiter;

inline std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Live processes whose environment holds `needle` (e.g. "HOME=<the temp home>").
inline std::vector<int> processesWithEnv(const std::string& needle) {
  std::vector<int> pids;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string env = readFile(entry.path() / "environ");
    std::string state = readFile(entry.path() / "stat");
    std::size_t paren = state.rfind(')');
    if (paren != std::string::npos && paren + 2 < state.size() && state[paren + 2] == 'Z') continue;
    std::string wanted = needle;
    wanted.push_back('\0');
    if (env.find(wanted) != std::string::npos ||
        (env.size() >= needle.size() && env.ends_with(needle))) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

inline int processGroupOf(int pid) {
  std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string state, ppid, pgrp;
  fields >> state >> ppid >> pgrp;
  return pgrp.empty() ? -1 : std::stoi(pgrp);
}

inline bool gone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }
inline bool groupGone(int pgid) { return ::kill(-pgid, 0) != 0 && errno == ESRCH; }

// Members of process group `pgid` that are alive (zombies excluded: a killed member whose
// parent died lingers until init reaps it).
inline std::vector<int> liveMembersOfGroup(int pgid) {
  std::vector<int> pids;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = readFile(entry.path() / "stat");
    std::size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 2));
    std::string state, ppid, pgrp;
    fields >> state >> ppid >> pgrp;
    if (state != "Z" && pgrp == std::to_string(pgid)) pids.push_back(std::stoi(name));
  }
  return pids;
}

// Whether every member of `pgid` has died within `timeout`. A SIGKILL sent to a group
// takes effect when the kernel next runs each member: on a loaded machine a killed
// member can still show as running for a moment after its leader has been reaped.
inline bool groupDiesWithin(int pgid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!liveMembersOfGroup(pgid).empty()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class ClaudeCliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(SB_CLAUDE_CLI))
        << "The Claude Code CLI is not installed at " << SB_CLAUDE_CLI
        << ": run `bash .ci/install-deps --test` (or set SWITCHBOARD_E2E_CACHE to the folder it "
           "filled).";
    ASSERT_TRUE(fake_.running()) << "the fake Messages API did not start";
    ASSERT_FALSE(tmp_.path().empty());
    home_ = tmp_.path() / "home";
    fs::create_directories(home_);
    auto type = loadType(json::object());
    ASSERT_TRUE(type.ok()) << type.status().toString();
    type_ = *type;
  }

  // The plugin with `plugin_config` (claude_path is added).
  Result<std::shared_ptr<AgentType>> loadType(json plugin_config) {
    plugin_config["claude_path"] = SB_CLAUDE_CLI;
    return loadPluginForTest<AgentType>("agent", "claude_code", plugin_config.dump(),
                                        tmp_.path() / "data");
  }

  void TearDown() override {
    // Nothing the CLI started may outlive a test.
    EXPECT_TRUE(processesWithEnv(homeNeedle()).empty())
        << "a claude process with the test HOME is still running";
  }

  std::string homeNeedle() const { return "HOME=" + home_.string(); }

  json env() const { return fake_.cliEnv(home_.string()); }

  Result<std::unique_ptr<Agent>> make(json config = json::object(), const std::string& id = "ag_cc",
                                      std::shared_ptr<AgentType> type = nullptr) {
    if (!type) type = type_;
    if (!config.contains("env")) config["env"] = env();
    Status valid = validateAgainstSchema(type->agentConfigSchema(), config.dump());
    if (!valid.ok()) return valid;
    AgentSpec spec;
    spec.id = id;
    spec.name = id;
    spec.model = "claude-opus-5-5";
    spec.config_json = config.dump();
    return type->createAgent(spec);
  }

  static AgentRequest request(const std::string& prompt, const std::string& id = "rq_1") {
    AgentRequest r;
    r.request_id = id;
    r.input_json = json{{"prompt", prompt}}.dump();
    return r;
  }

  // The API requests' bodies parsed as JSON (a body that is not JSON becomes null).
  std::vector<json> requestBodies() const {
    std::vector<json> bodies;
    for (const FakeMessagesApi::Request& r : fake_.messageRequests())
      bodies.push_back(json::parse(r.body, nullptr, false));
    return bodies;
  }

  // The tool_result block for `tool_use_id` in the last message of `body`, or null.
  static json toolResultIn(const json& body, const std::string& tool_use_id) {
    if (!body.is_object() || !body.contains("messages") || body["messages"].empty()) return {};
    const json& content = body["messages"].back()["content"];
    if (!content.is_array()) return {};
    for (const json& block : content) {
      if (block.value("type", "") == "tool_result" && block.value("tool_use_id", "") == tool_use_id)
        return block;
    }
    return {};
  }

  // The text of a tool_result's content (a string, or text blocks joined).
  static std::string resultText(const json& block) {
    if (!block.is_object() || !block.contains("content")) return "";
    const json& content = block["content"];
    if (content.is_string()) return content.get<std::string>();
    std::string text;
    if (content.is_array()) {
      for (const json& part : content) text += part.value("text", "");
    }
    return text;
  }

  // The pid of the claude process of this test, once it runs (-1 if none within the wait).
  int waitForClaudePid(std::chrono::milliseconds timeout = 10s) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      std::vector<int> pids = processesWithEnv(homeNeedle());
      if (!pids.empty()) return pids.front();
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

  bool waitForHangingRequest(std::chrono::milliseconds timeout = 15s) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (fake_.hanging() > 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  FakeMessagesApi fake_;
  TempDirForTest tmp_;
  fs::path home_;
  std::shared_ptr<AgentType> type_;
};

}  // namespace switchboard::plugins::testing
