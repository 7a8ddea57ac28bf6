// WorktreePlan: the git commands that give a Claude Code agent its own worktree of a
// repository (the agent config's "git_worktree"), one at a time, and what their outcomes
// mean. It runs nothing itself: WorktreeSetup runs each step through the host's supervisor
// and feeds the outcome back.
//
// Steps (each `git -C <repository> ...`, never through a shell):
//   0. the repository folder must exist                       else FailedPrecondition
//   1. rev-parse --git-dir                                    fails: "not a git repository"
//   2. worktree list --porcelain: the worktree path is registered and its folder exists →
//      ready, reused as it is (whatever branch it has now); registered but gone →
//      FailedPrecondition (run `git worktree prune`); the path exists, is not empty and is
//      not registered → FailedPrecondition (something else lives there)
//   3. rev-parse --verify --quiet <base>^{commit}             fails: "base ... is not a commit"
//   4. check-ref-format refs/heads/<branch>                   fails: InvalidArgument
//   5. show-ref --verify --quiet refs/heads/<branch>          exists: AlreadyExists
//   6. worktree add -b <branch> <path> <base commit>          fails: FailedPrecondition + git's
//   words → ready: "created".
//
// Thread safety: none; one plan per setup, driven by one thread at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

// The "git_worktree" option of an agent.
struct WorktreeOptions {
  std::string repository;     // absolute path of the repository to take a worktree of
  std::string base = "HEAD";  // what the new branch starts from
  std::string branch;         // the agent's branch; default switchboard/<agent folder name>
  std::string path;           // where the worktree lives: <workspace>/worktree

  // `config` is the "git_worktree" object. InvalidArgument naming the field.
  static Result<WorktreeOptions> parse(const nlohmann::json& config, const std::string& workspace,
                                       const std::string& agent_folder);
};

class WorktreePlan {
 public:
  struct Outcome {
    int exit_code = -1;  // -1: ended by a signal
    std::string out;     // stdout
    std::string err;     // stderr
  };
  struct Step {
    enum class Kind { kRun, kReady, kFailed };
    Kind kind = Kind::kFailed;
    std::vector<std::string> args;  // kRun: git's arguments (after the program)
    Status error;                   // kFailed
    std::string summary;            // kReady: what was done, for progress and logs
  };

  explicit WorktreePlan(WorktreeOptions options);

  Step start();
  // The outcome of the command the last step ran.
  Step next(const Outcome& outcome);

  const WorktreeOptions& options() const { return options_; }

 private:
  enum class Stage { kRepository, kList, kBase, kBranchName, kBranchExists, kAdd, kDone };
  Step run(Stage stage, std::vector<std::string> args);
  Step fail(Status status);
  Step afterList(const Outcome& outcome);

  WorktreeOptions options_;
  Stage stage_ = Stage::kRepository;
  std::string base_commit_;
};

}  // namespace switchboard::plugins
