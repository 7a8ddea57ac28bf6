// ToolRule and ToolPolicy: the rule syntax, the matcher, and how a policy decides.
#include "plugins/agent/claude_code/tool_policy.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugins/agent/claude_code/tool_rule.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;
using Use = ToolRule::Use;

ToolRule rule(const std::string& text) {
  Result<ToolRule> r = ToolRule::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().toString();
  if (r.ok()) return *r;
  Result<ToolRule> fallback = ToolRule::parse("never-matches-anything");
  return *fallback;
}

json bash(const std::string& command) { return {{"command", command}}; }

TEST(ToolRule, GlobHasOnlyTheStarWildcard) {
  EXPECT_TRUE(ToolRule::globMatch("git *", "git status"));
  EXPECT_TRUE(ToolRule::globMatch("*", ""));
  EXPECT_TRUE(ToolRule::globMatch("a*b*c", "aXXbYYc"));
  EXPECT_TRUE(ToolRule::globMatch("/src/*", "/src/a/b.cpp"));  // '*' crosses '/'
  EXPECT_FALSE(ToolRule::globMatch("git *", "sudo git status"));
  EXPECT_FALSE(ToolRule::globMatch("git *", "git"));
  EXPECT_FALSE(ToolRule::globMatch("a?c", "abc"));  // '?' is literal
  EXPECT_TRUE(ToolRule::globMatch("a?c", "a?c"));
  EXPECT_FALSE(ToolRule::globMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(ToolRule::globMatch("**a", "bba"));
}

TEST(ToolRule, ParseRejectsWhatItCannotMatch) {
  for (const char* bad : {"", "Bash(", "Bash()", "Bash(  )", "(git *)", "Bash(git *)x", "Foo(bar)",
                          "mcp__gw__*(x)", "Bash git", "Ba$h", "Bash(a\nb)"}) {
    Result<ToolRule> r = ToolRule::parse(bad);
    EXPECT_FALSE(r.ok()) << "accepted \"" << bad << "\"";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
  Result<ToolRule> foo = ToolRule::parse("Foo(bar)");
  EXPECT_NE(foo.status().message().find("only Bash, Read"), std::string::npos)
      << foo.status().message();
  EXPECT_TRUE(ToolRule::parse("Bash(echo (a) b)").ok());  // parentheses inside a pattern
}

TEST(ToolRule, NamesMatchExactlyOrByWildcard) {
  EXPECT_TRUE(rule("Write").matches("Write", json::object(), Use::kAllow));
  EXPECT_FALSE(rule("Write").matches("WriteFile", json::object(), Use::kAllow));
  EXPECT_FALSE(rule("Write").matches("write", json::object(), Use::kAllow));
  EXPECT_TRUE(rule("mcp__gw__*").matches("mcp__gw__agent_list", json::object(), Use::kAllow));
  EXPECT_FALSE(rule("mcp__gw__*").matches("mcp__other__agent_list", json::object(), Use::kAllow));
  EXPECT_TRUE(rule("*").matches("Anything", json::object(), Use::kDeny));
}

TEST(ToolRule, AllowPatternsMatchOnlySimpleBashCommands) {
  ToolRule git = rule("Bash(git *)");
  EXPECT_TRUE(git.matches("Bash", bash("git status"), Use::kAllow));
  EXPECT_TRUE(git.matches("Bash", bash("  git log --oneline  "), Use::kAllow));
  for (const char* chained :
       {"git status && rm -rf x", "git status; rm x", "git log | sh", "git status & rm x",
        "git log > /etc/passwd", "git apply < x", "git `rm x`", "git $(rm x)", "git a\nrm x"}) {
    EXPECT_FALSE(git.matches("Bash", bash(chained), Use::kAllow)) << chained;
  }
  EXPECT_FALSE(git.matches("Bash", bash("sudo git status"), Use::kAllow));
  EXPECT_FALSE(git.matches("Bash", json::object(), Use::kAllow));        // no command
  EXPECT_FALSE(git.matches("Bash", json{{"command", 3}}, Use::kAllow));  // not a string
  EXPECT_FALSE(git.matches("Write", bash("git status"), Use::kAllow));   // other tool
  // A Bash rule without a pattern allows any command.
  EXPECT_TRUE(rule("Bash").matches("Bash", bash("a && b | c"), Use::kAllow));
}

TEST(ToolRule, DenyPatternsMatchAnyPieceOfABashCommand) {
  ToolRule rm = rule("Bash(rm *)");
  EXPECT_TRUE(rm.matches("Bash", bash("rm -rf build"), Use::kDeny));
  EXPECT_TRUE(rm.matches("Bash", bash("ls && rm -rf build"), Use::kDeny));
  EXPECT_TRUE(rm.matches("Bash", bash("ls;rm x"), Use::kDeny));
  EXPECT_TRUE(rm.matches("Bash", bash("ls | rm x"), Use::kDeny));
  EXPECT_TRUE(rm.matches("Bash", bash("ls\nrm x"), Use::kDeny));
  EXPECT_FALSE(rm.matches("Bash", bash("ls -la"), Use::kDeny));
  EXPECT_FALSE(rm.matches("Bash", bash("echo rm x"), Use::kDeny));
  EXPECT_FALSE(rm.matches("Bash", bash("make 2>&1"), Use::kDeny));
}

TEST(ToolRule, DenyPatternsFailClosedOnCommandsTheyCannotSeeThrough) {
  ToolRule rm = rule("Bash(rm *)");
  for (const char* hidden :
       {"echo $(rm -rf x)",   "echo `rm -rf x`",      "(rm -rf x)",     "{ rm -rf x; }",
        "bash -c 'rm -rf x'", "sh -c \"rm x\"",       "ls | xargs rm",  "/bin/rm -rf x",
        "FOO=1 rm x",         "command rm x",         "env rm x",       "sudo rm x",
        "eval rm x",          "\"rm\" -rf x",         "r\\m -rf x",     "$CMD -rf x",
        "find . -delete",     "find . -exec rm {} +", "diff <(rm x) y", "timeout 5 rm x",
        "./cleanup.sh"}) {
    EXPECT_TRUE(rm.matches("Bash", bash(hidden), Use::kDeny)) << hidden;
  }
  EXPECT_FALSE(rm.matches("Bash", bash("git status"), Use::kDeny));
}

TEST(ToolRule, FilePathsAreMatchedNormalised) {
  ToolRule src = rule("Write(/work/repo/*)");
  EXPECT_TRUE(src.matches("Write", json{{"file_path", "/work/repo/./a//b.cpp"}}, Use::kAllow));
  EXPECT_FALSE(
      src.matches("Write", json{{"file_path", "/work/repo/../../home/u/.bashrc"}}, Use::kAllow));
  EXPECT_FALSE(src.matches("Write", json{{"file_path", "../repo/x"}}, Use::kAllow));
  ToolRule secrets = rule("Read(/secrets/*)");
  EXPECT_TRUE(secrets.matches("Read", json{{"file_path", "/x/../secrets/k"}}, Use::kDeny));
  EXPECT_TRUE(secrets.matches("Read", json{{"file_path", "//secrets/k"}}, Use::kDeny));
  EXPECT_TRUE(secrets.matches("Read", json{{"file_path", "../../secrets/k"}}, Use::kDeny));
  EXPECT_FALSE(secrets.matches("Read", json{{"file_path", "/public/k"}}, Use::kDeny));
}

TEST(ToolRule, FilePatternsMatchTheToolsMainInput) {
  ToolRule src = rule("Write(/work/src/*)");
  EXPECT_TRUE(src.matches("Write", json{{"file_path", "/work/src/a/b.cpp"}}, Use::kAllow));
  EXPECT_FALSE(src.matches("Write", json{{"file_path", "/etc/passwd"}}, Use::kAllow));
  EXPECT_TRUE(rule("WebFetch(https://docs.example.com/*)")
                  .matches("WebFetch", json{{"url", "https://docs.example.com/x"}}, Use::kAllow));
  EXPECT_TRUE(rule("NotebookEdit(*.ipynb)")
                  .matches("NotebookEdit", json{{"notebook_path", "/a/b.ipynb"}}, Use::kAllow));
  EXPECT_EQ(ToolRule::patternField("Edit"), "file_path");
  EXPECT_EQ(ToolRule::patternField("mcp__gw__x"), "");
}

TEST(ToolPolicy, DenyRulesWinThenAllowRulesThenTheDefault) {
  json config = {{"allow", {"Bash(git *)", "Write", "mcp__gw__*"}},
                 {"deny", {"Bash(git push *)", "mcp__gw__agent_delete"}}};
  Result<ToolPolicy> policy = ToolPolicy::parse(&config);
  ASSERT_TRUE(policy.ok()) << policy.status().toString();
  EXPECT_TRUE(policy->configured());

  ToolDecision status = policy->decide("Bash", bash("git status"));
  EXPECT_TRUE(status.allow);
  EXPECT_EQ(status.rule, "Bash(git *)");
  EXPECT_TRUE(status.message.empty());

  ToolDecision push = policy->decide("Bash", bash("git push origin main"));
  EXPECT_FALSE(push.allow);
  EXPECT_EQ(push.rule, "Bash(git push *)");
  EXPECT_EQ(push.message, std::string(ToolPolicy::kStandardDenyMessage) +
                              " (Bash matches the deny rule \"Bash(git push *)\")");

  EXPECT_TRUE(policy->decide("mcp__gw__agent_list", json::object()).allow);
  EXPECT_FALSE(policy->decide("mcp__gw__agent_delete", json::object()).allow);

  ToolDecision web = policy->decide("WebFetch", json{{"url", "https://x"}});
  EXPECT_FALSE(web.allow);
  EXPECT_TRUE(web.rule.empty());
  EXPECT_NE(web.message.find("no allow rule matches this WebFetch call"), std::string::npos)
      << web.message;
}

TEST(ToolPolicy, ClaudeSettingsAreNeverWrittenWhateverTheRules) {
  json config = {{"allow", {"Write", "Edit"}}, {"default", "allow"}};
  Result<ToolPolicy> open = ToolPolicy::parse(&config);
  ASSERT_TRUE(open.ok());
  for (const char* path : {"/repo/.claude/settings.local.json", ".claude/settings.json",
                           "/home/u/.claude/settings.json", "/repo/x/../.claude/hooks.json"}) {
    ToolDecision d = open->decide("Write", json{{"file_path", path}});
    EXPECT_FALSE(d.allow) << path;
    EXPECT_EQ(d.rule, ToolPolicy::kSettingsRule);
    EXPECT_NE(d.message.find("Claude Code's own settings"), std::string::npos) << d.message;
  }
  EXPECT_TRUE(open->decide("Edit", json{{"file_path", "/repo/src/claude.cpp"}}).allow);
  EXPECT_TRUE(open->decide("Read", json{{"file_path", "/repo/.claude/settings.json"}}).allow);
}

TEST(ToolPolicy, DefaultAllowAndTheDenyMessage) {
  json config = {{"deny", {"Write"}}, {"default", "allow"}, {"deny_message", "Ask the reviewer."}};
  Result<ToolPolicy> policy = ToolPolicy::parse(&config);
  ASSERT_TRUE(policy.ok()) << policy.status().toString();
  EXPECT_TRUE(policy->decide("WebFetch", json{{"url", "https://x"}}).allow);
  ToolDecision write = policy->decide("Write", json{{"file_path", "/a"}});
  EXPECT_FALSE(write.allow);
  EXPECT_EQ(write.message.rfind("Ask the reviewer. (", 0), 0u) << write.message;
}

TEST(ToolPolicy, WithoutAPolicyEveryPromptIsDeniedAndSaysWhy) {
  Result<ToolPolicy> policy = ToolPolicy::parse(nullptr);
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->configured());
  ToolDecision d = policy->decide("Bash", bash("ls"));
  EXPECT_FALSE(d.allow);
  EXPECT_NE(d.message.find("no tool_policy"), std::string::npos) << d.message;
}

TEST(ToolPolicy, ParseNamesWhatIsWrong) {
  auto error = [](const json& config) {
    Result<ToolPolicy> p = ToolPolicy::parse(&config);
    EXPECT_FALSE(p.ok()) << config.dump();
    return p.ok() ? std::string() : p.status().message();
  };
  EXPECT_NE(error(json::array()).find("must be an object"), std::string::npos);
  EXPECT_NE(error({{"allows", json::array()}}).find("no field \"allows\""), std::string::npos);
  EXPECT_NE(error({{"allow", "Bash"}}).find("tool_policy.allow must be an array"),
            std::string::npos);
  EXPECT_NE(error({{"deny", {1}}}).find("tool_policy.deny must hold strings"), std::string::npos);
  EXPECT_NE(error({{"deny", {"Foo(x)"}}}).find("tool_policy.deny: tool rule \"Foo(x)\""),
            std::string::npos);
  EXPECT_NE(error({{"default", "ask"}}).find("\"allow\" or \"deny\""), std::string::npos);
  EXPECT_NE(error({{"deny_message", ""}}).find("deny_message"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::plugins
