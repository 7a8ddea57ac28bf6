#include "plugins/agent/claude_code/worktree_plan.hpp"

#include <filesystem>
#include <sstream>
#include <system_error>

namespace switchboard::plugins {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// git's message on one line, at most ~400 bytes.
std::string gitSaid(const std::string& err) {
  std::string text = err;
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::size_t begin = text.find_first_not_of(' ');
  if (begin == std::string::npos) return "git printed no message";
  text = text.substr(begin, text.find_last_not_of(' ') - begin + 1);
  if (text.size() > 400) text = text.substr(0, 400) + "...";
  return "git: " + text;
}

std::string samePathKey(const std::string& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::path(path), ec);
  return (ec ? fs::path(path) : canonical).lexically_normal().string();
}

Status readName(const json& config, const char* key, std::string& out) {
  auto it = config.find(key);
  if (it == config.end()) return {};
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Status::invalidArgument(std::string("git_worktree.") + key +
                                   " must be a non-empty string");
  }
  out = it->get<std::string>();
  if (out.front() == '-') {
    return Status::invalidArgument(std::string("git_worktree.") + key + " must not start with '-'");
  }
  return {};
}

}  // namespace

Result<WorktreeOptions> WorktreeOptions::parse(const json& config, const std::string& workspace,
                                               const std::string& agent_folder) {
  if (!config.is_object()) return Status::invalidArgument("git_worktree must be an object");
  for (const auto& [key, value] : config.items()) {
    if (key != "repository" && key != "base" && key != "branch") {
      return Status::invalidArgument("git_worktree has no field \"" + key +
                                     "\" (repository, base, branch)");
    }
  }
  WorktreeOptions o;
  auto repository = config.find("repository");
  if (repository == config.end() || !repository->is_string() ||
      !fs::path(repository->get<std::string>()).is_absolute()) {
    return Status::invalidArgument("git_worktree.repository must be an absolute path");
  }
  o.repository = fs::path(repository->get<std::string>()).lexically_normal().string();
  o.branch = "switchboard/" + agent_folder;
  SB_RETURN_IF_ERROR(readName(config, "base", o.base));
  SB_RETURN_IF_ERROR(readName(config, "branch", o.branch));
  std::error_code ec;
  fs::path path = fs::absolute(fs::path(workspace) / "worktree", ec);
  if (ec) return Status::invalidArgument("cannot place the worktree under " + workspace);
  o.path = path.lexically_normal().string();
  return o;
}

WorktreePlan::WorktreePlan(WorktreeOptions options) : options_(std::move(options)) {}

WorktreePlan::Step WorktreePlan::run(Stage stage, std::vector<std::string> args) {
  stage_ = stage;
  Step step;
  step.kind = Step::Kind::kRun;
  step.args = {"-C", options_.repository};
  step.args.insert(step.args.end(), args.begin(), args.end());
  return step;
}

WorktreePlan::Step WorktreePlan::fail(Status status) {
  stage_ = Stage::kDone;
  Step step;
  step.kind = Step::Kind::kFailed;
  step.error = std::move(status);
  return step;
}

WorktreePlan::Step WorktreePlan::start() {
  std::error_code ec;
  if (!fs::is_directory(options_.repository, ec)) {
    return fail(Status::failedPrecondition("git_worktree.repository " + options_.repository +
                                           " is not a folder"));
  }
  return run(Stage::kRepository, {"rev-parse", "--git-dir"});
}

WorktreePlan::Step WorktreePlan::afterList(const Outcome& outcome) {
  if (outcome.exit_code != 0) {
    return fail(Status::internal("git worktree list failed in " + options_.repository + " (" +
                                 gitSaid(outcome.err) + ")"));
  }
  const std::string wanted = samePathKey(options_.path);
  std::istringstream lines(outcome.out);
  std::string line;
  bool found = false;
  std::string branch = "a detached HEAD";
  while (std::getline(lines, line)) {
    if (line.rfind("worktree ", 0) == 0) {
      if (found) break;  // the next entry
      found = samePathKey(line.substr(9)) == wanted;
    } else if (found && line.rfind("branch refs/heads/", 0) == 0) {
      branch = "branch " + line.substr(18);
    }
  }
  std::error_code ec;
  if (found) {
    if (fs::is_directory(options_.path, ec)) {
      stage_ = Stage::kDone;
      Step step;
      step.kind = Step::Kind::kReady;
      step.summary = "reusing the worktree " + options_.path + " of " + options_.repository + " (" +
                     branch + ")";
      return step;
    }
    return fail(Status::failedPrecondition("the worktree " + options_.path + " is registered in " +
                                           options_.repository +
                                           " but its folder is gone; run `git -C " +
                                           options_.repository + " worktree prune` and try again"));
  }
  if (fs::exists(options_.path, ec) &&
      !(fs::is_directory(options_.path, ec) && fs::is_empty(options_.path, ec))) {
    return fail(Status::failedPrecondition(options_.path + " exists and is not a worktree of " +
                                           options_.repository +
                                           "; move it away so the agent's worktree can be made"));
  }
  return run(Stage::kBase, {"rev-parse", "--verify", "--quiet", options_.base + "^{commit}"});
}

WorktreePlan::Step WorktreePlan::next(const Outcome& outcome) {
  switch (stage_) {
    case Stage::kRepository:
      if (outcome.exit_code != 0) {
        return fail(Status::failedPrecondition("git_worktree.repository " + options_.repository +
                                               " is not a git repository (" + gitSaid(outcome.err) +
                                               ")"));
      }
      return run(Stage::kList, {"worktree", "list", "--porcelain"});
    case Stage::kList:
      return afterList(outcome);
    case Stage::kBase: {
      std::string commit = outcome.out.substr(0, outcome.out.find_first_of("\r\n"));
      if (outcome.exit_code != 0 || commit.empty()) {
        return fail(Status::failedPrecondition("git_worktree.base \"" + options_.base +
                                               "\" is not a commit in " + options_.repository));
      }
      base_commit_ = commit;
      return run(Stage::kBranchName, {"check-ref-format", "refs/heads/" + options_.branch});
    }
    case Stage::kBranchName:
      if (outcome.exit_code != 0) {
        return fail(Status::invalidArgument("git_worktree.branch \"" + options_.branch +
                                            "\" is not a valid branch name"));
      }
      return run(Stage::kBranchExists,
                 {"show-ref", "--verify", "--quiet", "refs/heads/" + options_.branch});
    case Stage::kBranchExists:
      if (outcome.exit_code == 0) {
        return fail(Status::alreadyExists(
            "the branch " + options_.branch + " already exists in " + options_.repository +
            " and no worktree of the agent has it; set git_worktree.branch to a new name, or "
            "delete the branch (git -C " +
            options_.repository + " branch -D " + options_.branch +
            ") if it holds nothing you need"));
      }
      if (outcome.exit_code != 1) {
        return fail(Status::internal("git show-ref failed in " + options_.repository + " (" +
                                     gitSaid(outcome.err) + ")"));
      }
      return run(Stage::kAdd,
                 {"worktree", "add", "-b", options_.branch, options_.path, base_commit_});
    case Stage::kAdd: {
      if (outcome.exit_code != 0) {
        return fail(Status::failedPrecondition("git worktree add " + options_.path + " failed (" +
                                               gitSaid(outcome.err) + ")"));
      }
      stage_ = Stage::kDone;
      Step step;
      step.kind = Step::Kind::kReady;
      step.summary = "created the worktree " + options_.path + " of " + options_.repository +
                     " on the new branch " + options_.branch + " from " + options_.base + " (" +
                     base_commit_.substr(0, 12) + ")";
      return step;
    }
    case Stage::kDone:
      break;
  }
  return fail(Status::internal("the worktree plan was driven past its end"));
}

}  // namespace switchboard::plugins
