// git_worktree with the REAL Claude Code CLI and the real git on a temporary repository:
// the worktree is made on the first request, is claude's cwd, is reused by the next request
// and by a new runtime of the agent, is kept when the agent goes away, and each way it can
// fail says what is wrong before claude runs.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/plugins/agent/claude_code/claude_cli_fixture.hpp"

namespace switchboard::plugins {
namespace {

using testing::FakeMessagesApi;
using testing::json;
using testing::Waiter;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ClaudeCodeWorktreeTest : public testing::ClaudeCliFixture {
 protected:
  void SetUp() override {
    ClaudeCliFixture::SetUp();
    if (HasFatalFailure()) return;
    repo_ = tmp_.path() / "repo";
    ASSERT_EQ(git("init -q -b main " + repo_.string()), 0);
    std::ofstream(repo_ / "README.md") << "the base commit\n";
    ASSERT_EQ(git("-C " + repo_.string() + " add README.md"), 0);
    ASSERT_EQ(git("-C " + repo_.string() + " commit -q -m base"), 0);
  }

  // git with a fixed identity and no user config; the test's paths need no quoting.
  static int git(const std::string& args) {
    std::string command =
        "env HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 git -c user.name=t "
        "-c user.email=t@example.com -c commit.gpgsign=false " +
        args + " >/dev/null 2>&1";
    return std::system(command.c_str());
  }
  static std::string gitOut(const std::string& args) {
    std::string command = "env HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 git " + args + " 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buffer[4096];
      while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, got);
      ::pclose(pipe);
    }
    return out;
  }

  fs::path worktreeOf(const std::string& id) const {
    return tmp_.path() / "data" / "workspaces" / id / "worktree";
  }
  json worktreeConfig(json git_worktree) const {
    if (!git_worktree.contains("repository")) git_worktree["repository"] = repo_.string();
    return {{"git_worktree", git_worktree}, {"tool_policy", {{"allow", {"Bash(touch *)"}}}}};
  }
  static bool progressHas(Waiter& waiter, const std::string& text) {
    for (const std::string& p : waiter.progress()) {
      if (p.find(text) != std::string::npos) return true;
    }
    return false;
  }
  AgentReply ask(Agent& agent, const std::string& prompt, std::shared_ptr<Waiter> waiter) {
    auto call = agent.call(request(prompt), waiter);
    EXPECT_TRUE(call.ok()) << call.status().toString();
    return waiter->wait(60s);
  }

  fs::path repo_;
};

TEST_F(ClaudeCodeWorktreeTest, MadeOnFirstUseIsTheCwdReusedAndKeptWhenTheAgentGoes) {
  FakeMessagesApi::Script script;
  script.tool_uses = {{"Bash", R"({"command":"touch made-by-agent.txt","description":"mark"})"}};
  script.text = "Marked.";
  fake_.setScript(script);
  const fs::path wt = worktreeOf("ag_wt");
  auto agent = make(worktreeConfig({{"base", "main"}}), "ag_wt");
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  EXPECT_FALSE(fs::exists(wt)) << "made before the first request";

  auto first = std::make_shared<Waiter>();
  AgentReply r1 = ask(**agent, "Mark your worktree.", first);
  ASSERT_TRUE(r1.status.ok()) << r1.status.toString();
  EXPECT_TRUE(progressHas(*first, "worktree: created the worktree " + wt.string()));
  EXPECT_EQ(json::parse(r1.output_json)["worktree"], wt.string());
  EXPECT_TRUE(fs::exists(wt / "README.md")) << "not a checkout of main";
  EXPECT_TRUE(fs::exists(wt / "made-by-agent.txt")) << "claude's cwd was not the worktree";
  EXPECT_NE(gitOut("-C " + repo_.string() + " worktree list --porcelain").find(wt.string()),
            std::string::npos);
  EXPECT_EQ(gitOut("-C " + wt.string() + " rev-parse --abbrev-ref HEAD"), "switchboard/ag_wt\n");
  std::vector<FakeMessagesApi::Request> seen = fake_.messageRequests();
  ASSERT_FALSE(seen.empty());
  EXPECT_NE(seen[0].body.find(wt.string()), std::string::npos) << "cwd not in the prompt";

  // The second request reuses it without asking git.
  FakeMessagesApi::Script plain;
  plain.text = "Second answer.";
  fake_.setScript(plain);
  auto second = std::make_shared<Waiter>();
  AgentReply r2 = ask(**agent, "Anything else?", second);
  ASSERT_TRUE(r2.status.ok()) << r2.status.toString();
  EXPECT_FALSE(progressHas(*second, "worktree:"));
  EXPECT_EQ(json::parse(r2.output_json)["worktree"], wt.string());
  seen = fake_.messageRequests();
  EXPECT_NE(seen.back().body.find(wt.string()), std::string::npos);
  EXPECT_TRUE(fs::exists(wt / "made-by-agent.txt"));

  // The runtime goes away (delete, stop, restart all do this): the worktree, its branch
  // and the uncommitted file stay.
  agent->reset();
  EXPECT_TRUE(fs::exists(wt / "made-by-agent.txt"));
  EXPECT_NE(gitOut("-C " + repo_.string() + " branch --list switchboard/ag_wt").find("ag_wt"),
            std::string::npos);

  // A new runtime of the same agent finds it again.
  auto again = make(worktreeConfig({{"base", "main"}}), "ag_wt");
  ASSERT_TRUE(again.ok()) << again.status().toString();
  auto third = std::make_shared<Waiter>();
  AgentReply r3 = ask(**again, "Still there?", third);
  ASSERT_TRUE(r3.status.ok()) << r3.status.toString();
  EXPECT_TRUE(progressHas(*third, "worktree: reusing the worktree " + wt.string()));
  EXPECT_TRUE(progressHas(*third, "branch switchboard/ag_wt"));
  EXPECT_TRUE(fs::exists(wt / "made-by-agent.txt"));
}

TEST_F(ClaudeCodeWorktreeTest, EachFailureSaysWhatIsWrongAndClaudeNeverRuns) {
  fs::create_directories(tmp_.path() / "plain");
  ASSERT_EQ(git("-C " + repo_.string() + " branch taken"), 0);
  struct Case {
    std::string id;
    json git_worktree;
    StatusCode code;
    std::string says;
  };
  std::vector<Case> cases = {
      {"ag_plain",
       {{"repository", (tmp_.path() / "plain").string()}},
       StatusCode::kFailedPrecondition,
       "is not a git repository"},
      {"ag_missing",
       {{"repository", (tmp_.path() / "missing").string()}},
       StatusCode::kFailedPrecondition,
       "is not a folder"},
      {"ag_base",
       {{"base", "no-such-ref"}},
       StatusCode::kFailedPrecondition,
       "git_worktree.base \"no-such-ref\" is not a commit"},
      {"ag_branch",
       {{"branch", "taken"}},
       StatusCode::kAlreadyExists,
       "the branch taken already exists"},
      {"ag_badname",
       {{"branch", "two..dots"}},
       StatusCode::kInvalidArgument,
       "is not a valid branch name"},
  };
  for (const Case& c : cases) {
    auto agent = make(worktreeConfig(c.git_worktree), c.id);
    ASSERT_TRUE(agent.ok()) << c.id << ": " << agent.status().toString();
    auto waiter = std::make_shared<Waiter>();
    AgentReply reply = ask(**agent, "Work.", waiter);
    EXPECT_EQ(reply.status.code(), c.code) << c.id << ": " << reply.status.toString();
    EXPECT_NE(reply.status.message().find("cannot prepare the agent's git worktree"),
              std::string::npos)
        << reply.status.message();
    EXPECT_NE(reply.status.message().find(c.says), std::string::npos)
        << c.id << ": " << reply.status.message();
    EXPECT_FALSE(fs::exists(worktreeOf(c.id) / ".git")) << c.id;
  }
  // git itself missing.
  auto no_git = loadType({{"git_path", (tmp_.path() / "no-such-git").string()}});
  ASSERT_TRUE(no_git.ok()) << no_git.status().toString();
  auto agent = make(worktreeConfig(json::object()), "ag_nogit", *no_git);
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  AgentReply reply = ask(**agent, "Work.", waiter);
  EXPECT_EQ(reply.status.code(), StatusCode::kFailedPrecondition) << reply.status.toString();
  EXPECT_NE(
      reply.status.message().find("cannot run git (\"" + (tmp_.path() / "no-such-git").string()),
      std::string::npos)
      << reply.status.message();
  EXPECT_NE(reply.status.message().find("set git_path"), std::string::npos);
  EXPECT_TRUE(fake_.messageRequests().empty()) << "claude ran although the worktree failed";
  EXPECT_EQ(gitOut("-C " + repo_.string() + " worktree list --porcelain").find("ag_"),
            std::string::npos);
}

TEST_F(ClaudeCodeWorktreeTest, CancelAndTimeoutWhileGitRunsStopItAndLeaveNothing) {
  fs::path slow_git = tmp_.path() / "slow-git.sh";
  std::ofstream(slow_git) << "#!/bin/sh\nsleep 300\n";
  ::chmod(slow_git.c_str(), 0755);
  auto type = loadType({{"git_path", slow_git.string()}});
  ASSERT_TRUE(type.ok()) << type.status().toString();

  auto agent = make(worktreeConfig(json::object()), "ag_slow", *type);
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  auto waiter = std::make_shared<Waiter>();
  auto call = (*agent)->call(request("Work."), waiter);
  ASSERT_TRUE(call.ok()) << call.status().toString();
  ASSERT_GT(waitForClaudePid(), 0) << "the git stand-in did not start";
  (*call)->cancel();
  AgentReply cancelled = waiter->wait(10s);
  EXPECT_EQ(cancelled.status.code(), StatusCode::kCancelled) << cancelled.status.toString();
  EXPECT_NE(cancelled.status.message().find("while the agent's git worktree was being prepared"),
            std::string::npos)
      << cancelled.status.message();
  EXPECT_TRUE(testing::processesWithEnv(homeNeedle()).empty());

  auto timed = std::make_shared<Waiter>();
  AgentRequest r = request("Work again.");
  r.timeout_ms = 1500;
  ASSERT_TRUE((*agent)->call(r, timed).ok());
  AgentReply late = timed->wait(10s);
  EXPECT_EQ(late.status.code(), StatusCode::kDeadlineExceeded) << late.status.toString();
  EXPECT_NE(late.status.message().find("still preparing the agent's git worktree"),
            std::string::npos)
      << late.status.message();
  EXPECT_TRUE(fake_.messageRequests().empty());
}

}  // namespace
}  // namespace switchboard::plugins
