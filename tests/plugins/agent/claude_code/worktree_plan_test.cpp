// WorktreePlan: the git commands it asks for and what each outcome means, driven with
// scripted outcomes (the real git runs in claude_code_worktree_test.cpp).
#include "plugins/agent/claude_code/worktree_plan.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using Kind = WorktreePlan::Step::Kind;
using Outcome = WorktreePlan::Outcome;
namespace fs = std::filesystem;

class WorktreePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = tmp_.path() / "repo";
    fs::create_directories(repo_);
    Result<WorktreeOptions> o = WorktreeOptions::parse(
        {{"repository", repo_.string()}, {"base", "main"}}, (tmp_.path() / "ws").string(), "ag_1");
    ASSERT_TRUE(o.ok()) << o.status().toString();
    options_ = *o;
  }
  static Outcome ok(std::string out = "") { return {0, std::move(out), ""}; }
  static Outcome failed(int code, std::string err) { return {code, "", std::move(err)}; }
  std::vector<std::string> git(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-C", repo_.string()});
    return args;
  }
  // Drives the plan through the first two steps (a repository with one worktree, `listed`).
  WorktreePlan::Step afterList(WorktreePlan& plan, const std::string& listed) {
    EXPECT_EQ(plan.start().args, git({"rev-parse", "--git-dir"}));
    WorktreePlan::Step list = plan.next(ok(".git\n"));
    EXPECT_EQ(list.args, git({"worktree", "list", "--porcelain"}));
    return plan.next(ok(listed));
  }

  testing::TempDirForTest tmp_;
  fs::path repo_;
  WorktreeOptions options_;
};

TEST_F(WorktreePlanTest, OptionsDefaultsAndChecks) {
  EXPECT_EQ(options_.branch, "switchboard/ag_1");
  EXPECT_EQ(options_.base, "main");
  EXPECT_EQ(options_.path, (tmp_.path() / "ws" / "worktree").string());
  auto error = [&](const json& config) {
    Result<WorktreeOptions> o = WorktreeOptions::parse(config, "/ws", "ag");
    EXPECT_FALSE(o.ok()) << config.dump();
    return o.ok() ? std::string() : o.status().message();
  };
  EXPECT_NE(error(json::object()).find("absolute path"), std::string::npos);
  EXPECT_NE(error({{"repository", "rel/repo"}}).find("absolute path"), std::string::npos);
  EXPECT_NE(error({{"repository", "/r"}, {"branch", "-x"}}).find("must not start with '-'"),
            std::string::npos);
  EXPECT_NE(error({{"repository", "/r"}, {"base", ""}}).find("git_worktree.base"),
            std::string::npos);
  EXPECT_NE(error({{"repository", "/r"}, {"path", "/x"}}).find("no field \"path\""),
            std::string::npos);
}

TEST_F(WorktreePlanTest, CreatesTheBranchFromTheResolvedBase) {
  WorktreePlan plan(options_);
  WorktreePlan::Step base = afterList(plan, "worktree " + repo_.string() + "\nHEAD abc\n");
  EXPECT_EQ(base.args, git({"rev-parse", "--verify", "--quiet", "main^{commit}"}));
  WorktreePlan::Step name = plan.next(ok("0123456789abcdef0123\n"));
  EXPECT_EQ(name.args, git({"check-ref-format", "refs/heads/switchboard/ag_1"}));
  WorktreePlan::Step exists = plan.next(ok());
  EXPECT_EQ(exists.args, git({"show-ref", "--verify", "--quiet", "refs/heads/switchboard/ag_1"}));
  WorktreePlan::Step add = plan.next(failed(1, ""));
  EXPECT_EQ(add.args, git({"worktree", "add", "-b", "switchboard/ag_1", options_.path,
                           "0123456789abcdef0123"}));
  WorktreePlan::Step ready = plan.next(ok());
  EXPECT_EQ(ready.kind, Kind::kReady);
  EXPECT_NE(ready.summary.find("created the worktree " + options_.path), std::string::npos);
  EXPECT_NE(ready.summary.find("0123456789ab)"), std::string::npos) << ready.summary;
  EXPECT_EQ(plan.next(ok()).kind, Kind::kFailed);  // past the end
}

TEST_F(WorktreePlanTest, ReusesARegisteredWorktreeWhoseFolderExists) {
  fs::create_directories(options_.path);
  WorktreePlan plan(options_);
  WorktreePlan::Step step =
      afterList(plan, "worktree " + repo_.string() + "\nHEAD a\nbranch refs/heads/main\n\n" +
                          "worktree " + options_.path + "\nHEAD b\nbranch refs/heads/agent-x\n");
  EXPECT_EQ(step.kind, Kind::kReady);
  EXPECT_NE(step.summary.find("reusing the worktree"), std::string::npos);
  EXPECT_NE(step.summary.find("branch agent-x"), std::string::npos) << step.summary;
}

TEST_F(WorktreePlanTest, RegisteredButGoneAsksForPrune) {
  WorktreePlan plan(options_);
  WorktreePlan::Step step = afterList(plan, "worktree " + options_.path + "\nprunable gitdir\n");
  ASSERT_EQ(step.kind, Kind::kFailed);
  EXPECT_EQ(step.error.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(step.error.message().find("worktree prune"), std::string::npos);
}

TEST_F(WorktreePlanTest, SomethingElseAtThePathIsNotOverwritten) {
  fs::create_directories(options_.path);
  std::ofstream(fs::path(options_.path) / "notes.txt") << "mine";
  WorktreePlan plan(options_);
  WorktreePlan::Step step = afterList(plan, "worktree " + repo_.string() + "\n");
  ASSERT_EQ(step.kind, Kind::kFailed);
  EXPECT_NE(step.error.message().find("is not a worktree of"), std::string::npos);
}

TEST_F(WorktreePlanTest, EachFailureSaysWhatIsWrong) {
  {
    WorktreeOptions missing = options_;
    missing.repository = (tmp_.path() / "nowhere").string();
    WorktreePlan::Step step = WorktreePlan(missing).start();
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_NE(step.error.message().find("is not a folder"), std::string::npos);
  }
  {
    WorktreePlan plan(options_);
    plan.start();
    WorktreePlan::Step step = plan.next(failed(128, "fatal: not a git repository\n"));
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_EQ(step.error.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(step.error.message().find("is not a git repository (git: fatal: not a git"),
              std::string::npos)
        << step.error.message();
  }
  {
    WorktreePlan plan(options_);
    afterList(plan, "");
    WorktreePlan::Step step = plan.next(failed(1, ""));
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_NE(step.error.message().find("git_worktree.base \"main\" is not a commit"),
              std::string::npos);
  }
  {
    WorktreePlan plan(options_);
    afterList(plan, "");
    plan.next(ok("abc\n"));
    WorktreePlan::Step step = plan.next(failed(1, ""));
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_EQ(step.error.code(), StatusCode::kInvalidArgument);
  }
  {
    WorktreePlan plan(options_);
    afterList(plan, "");
    plan.next(ok("abc\n"));
    plan.next(ok());
    WorktreePlan::Step step = plan.next(ok());  // show-ref found the branch
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_EQ(step.error.code(), StatusCode::kAlreadyExists);
    EXPECT_NE(step.error.message().find("the branch switchboard/ag_1 already exists"),
              std::string::npos);
  }
  {
    WorktreePlan plan(options_);
    afterList(plan, "");
    plan.next(ok("abc\n"));
    plan.next(ok());
    plan.next(failed(1, ""));
    WorktreePlan::Step step = plan.next(failed(128, "fatal: could not create directory\n"));
    ASSERT_EQ(step.kind, Kind::kFailed);
    EXPECT_NE(step.error.message().find("git worktree add"), std::string::npos);
    EXPECT_NE(step.error.message().find("could not create directory"), std::string::npos);
  }
}

}  // namespace
}  // namespace switchboard::plugins
