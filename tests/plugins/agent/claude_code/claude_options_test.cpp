// ClaudeOptions: parsing an agent's config and the command line and process of a request,
// with and without the control channel and a git worktree.
#include "plugins/agent/claude_code/claude_options.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

Result<ClaudeOptions> parse(const json& config, const std::string& id = "ag_7") {
  Result<ClaudePluginSettings> plugin = ClaudePluginSettings::parse(
      R"({"claude_path":"/opt/claude","git_path":"/opt/git"})", "/data");
  EXPECT_TRUE(plugin.ok());
  AgentSpec spec;
  spec.id = id;
  spec.config_json = config.dump();
  return ClaudeOptions::parse(*plugin, spec);
}

AgentRequest request(const std::string& prompt) {
  AgentRequest r;
  r.input_json = json{{"prompt", prompt}}.dump();
  return r;
}

bool has(const std::vector<std::string>& argv, const std::string& arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

TEST(ClaudeOptions, TheChannelIsTheDefaultAndThePromptGoesToStdin) {
  Result<ClaudeOptions> o = parse(json::object());
  ASSERT_TRUE(o.ok()) << o.status().toString();
  EXPECT_TRUE(o->control_channel);
  EXPECT_FALSE(o->tool_policy->configured());
  Result<ClaudeInvocation> inv = o->invocation(request("-starts like an option"), "");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->prompt, "-starts like an option");
  EXPECT_FALSE(has(inv->argv, "-starts like an option"));
  EXPECT_FALSE(has(inv->argv, "--"));
  const std::vector<std::string>& a = inv->argv;
  auto input = std::find(a.begin(), a.end(), "--input-format");
  ASSERT_NE(input, a.end());
  EXPECT_EQ(*(input + 1), "stream-json");
  auto prompt_tool = std::find(a.begin(), a.end(), "--permission-prompt-tool");
  ASSERT_NE(prompt_tool, a.end());
  EXPECT_EQ(*(prompt_tool + 1), "stdio");
  ProcessSpec spec = o->processSpec(a, "ag_7");
  EXPECT_TRUE(spec.pipe_stdin);
  EXPECT_EQ(spec.cwd, "/data/workspaces/ag_7");
}

TEST(ClaudeOptions, WithoutTheChannelThePromptIsTheLastArgumentAndStdinIsNull) {
  Result<ClaudeOptions> o = parse({{"control_channel", false}});
  ASSERT_TRUE(o.ok()) << o.status().toString();
  Result<ClaudeInvocation> inv = o->invocation(request("hello"), "");
  ASSERT_TRUE(inv.ok());
  ASSERT_GE(inv->argv.size(), 2u);
  EXPECT_EQ(inv->argv[inv->argv.size() - 2], "--");
  EXPECT_EQ(inv->argv.back(), "hello");
  EXPECT_FALSE(has(inv->argv, "--input-format"));
  EXPECT_FALSE(has(inv->argv, "--permission-prompt-tool"));
  EXPECT_FALSE(o->processSpec(inv->argv, "ag_7").pipe_stdin);
}

TEST(ClaudeOptions, APolicyTheCliWouldNeverConsultIsRejected) {
  json policy = {{"allow", {"Bash(git *)"}}};
  Result<ClaudeOptions> no_channel = parse({{"control_channel", false}, {"tool_policy", policy}});
  ASSERT_FALSE(no_channel.ok());
  EXPECT_EQ(no_channel.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_channel.status().message().find("tool_policy needs the control channel"),
            std::string::npos);
  for (const char* mode : {"bypassPermissions", "dontAsk", "acceptEdits", "auto", "plan"}) {
    Result<ClaudeOptions> o = parse({{"permission_mode", mode}, {"tool_policy", policy}});
    ASSERT_FALSE(o.ok()) << mode;
    EXPECT_NE(o.status().message().find("without asking"), std::string::npos);
  }
  Result<ClaudeOptions> preapproved = parse({{"allowed_tools", {"Bash"}}, {"tool_policy", policy}});
  ASSERT_FALSE(preapproved.ok());
  EXPECT_NE(preapproved.status().message().find("move those rules to tool_policy.allow"),
            std::string::npos);
  for (const char* mode : {"default", "manual"}) {
    Result<ClaudeOptions> fine = parse({{"permission_mode", mode}, {"tool_policy", policy}});
    ASSERT_TRUE(fine.ok()) << fine.status().toString();
    EXPECT_TRUE(fine->tool_policy->configured());
    EXPECT_TRUE(fine->tool_policy->decide("Bash", json{{"command", "git log"}}).allow);
    // Only the user's settings load, so a checkout's .claude/ cannot pre-approve tools.
    Result<ClaudeInvocation> inv = fine->invocation(request("hi"), "");
    ASSERT_TRUE(inv.ok());
    auto at = std::find(inv->argv.begin(), inv->argv.end(), "--setting-sources");
    ASSERT_NE(at, inv->argv.end());
    ASSERT_NE(at + 1, inv->argv.end());
    EXPECT_EQ(*(at + 1), "user");
  }
  Result<ClaudeOptions> none = parse(json::object());
  ASSERT_TRUE(none.ok()) << none.status().toString();
  Result<ClaudeInvocation> plain = none->invocation(request("hi"), "");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(has(plain->argv, "--setting-sources"));
  Result<ClaudeOptions> bad_rule = parse({{"tool_policy", {{"allow", {"Foo(x)"}}}}});
  EXPECT_EQ(bad_rule.status().code(), StatusCode::kInvalidArgument);
}

TEST(ClaudeOptions, AWorktreeBecomesTheCwdAndGitRunsWithoutPrompts) {
  Result<ClaudeOptions> o =
      parse({{"workspace", "/ws/a"}, {"git_worktree", {{"repository", "/src/repo/"}}}}, "ag/x");
  ASSERT_TRUE(o.ok()) << o.status().toString();
  ASSERT_TRUE(o->worktree.has_value());
  EXPECT_EQ(o->worktree->repository, "/src/repo/");  // lexically normal keeps the slash
  EXPECT_EQ(o->worktree->branch, "switchboard/ag_x");
  EXPECT_EQ(o->worktree->base, "HEAD");
  EXPECT_EQ(o->worktree->path, "/ws/a/worktree");
  EXPECT_EQ(o->cwd(), "/ws/a/worktree");
  Result<ClaudeInvocation> inv = o->invocation(request("hi"), "");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(o->processSpec(inv->argv, "ag/x").cwd, "/ws/a/worktree");
  ProcessSpec git = o->gitProcessSpec("ag/x");
  EXPECT_EQ(git.argv, std::vector<std::string>{"/opt/git"});
  EXPECT_EQ(git.cwd, "/ws/a");
  EXPECT_TRUE(has(git.env, "GIT_TERMINAL_PROMPT=0"));
  EXPECT_FALSE(git.pipe_stdin);
  Result<ClaudeOptions> own_git = parse({{"git_path", "/usr/local/bin/git"}});
  ASSERT_TRUE(own_git.ok());
  EXPECT_EQ(own_git->git_program, "/usr/local/bin/git");
  Result<ClaudeOptions> relative = parse({{"git_worktree", {{"repository", "repo"}}}});
  EXPECT_EQ(relative.status().code(), StatusCode::kInvalidArgument);
  Result<ClaudeOptions> not_bool = parse({{"control_channel", "yes"}});
  EXPECT_EQ(not_bool.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchboard::plugins
