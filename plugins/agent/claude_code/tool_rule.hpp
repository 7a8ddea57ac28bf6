// ToolRule: one rule of a Claude Code agent's tool policy ("Bash(git *)", "Write",
// "mcp__github__*") and whether a tool call the CLI asks about (can_use_tool) matches it.
//
// Syntax: NAME or NAME(PATTERN).
//   NAME is a tool name made of letters, digits, '_' and '-', in which '*' matches any run
//   of characters: "Write", "mcp__github__*", "*".
//   PATTERN may follow only a tool whose main input is known, and is matched against that
//   input: Bash → command, Read / Write / Edit / MultiEdit → file_path, NotebookEdit →
//   notebook_path, WebFetch → url, WebSearch → query. In a pattern too '*' (any run of
//   characters, '/' included) is the only wildcard; everything else is literal, and the
//   whole text must match ("Bash(git *)" matches "git status", not "sudo git status").
//
// Bash is matched conservatively in both directions:
//   an allow rule with a pattern matches only a simple command, one without any of
//   ; & | ` $( > < or a line break (so "Bash(git *)" never allows "git log; rm -rf x");
//   a deny rule with a pattern matches when the whole command, or any piece of it between
//   ; & | and line breaks, matches ("Bash(rm *)" denies "ls && rm -rf x"), and also when it
//   cannot tell what the command runs: $( ), backquotes, <( ) or >( ), or a piece whose
//   program is a path, a variable, quoted or escaped, after an environment assignment, in
//   a subshell or group, a wrapper that runs other commands (bash, sh, env, xargs, sudo,
//   eval, timeout, ...), or find with -exec, -ok or -delete. So any Bash deny pattern also
//   denies "./build.sh" and "bash -c '...'": it fails closed.
// Leading and trailing blanks of a command are ignored.
//
// File paths (Read, Write, Edit, MultiEdit, NotebookEdit) are matched lexically normalised:
// "/repo/a/../../etc/x" is "/etc/x" and "//secrets/k" is "/secrets/k". A path that climbs
// above where it starts ("../x") matches no allow rule and every deny rule of its tool.
// Symbolic links are not followed.
//
// A rule is a guard against an agent's mistakes, not a sandbox: "Bash(git *)" still lets
// git run what its own options and config make it run. Contain agents that must not
// escape with the operating system (a user, a container), not with rules.
//
// Thread safety: immutable after parse().
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

class ToolRule {
 public:
  enum class Use { kAllow, kDeny };

  // InvalidArgument naming the rule and what is wrong with it.
  static Result<ToolRule> parse(std::string_view text);

  bool matches(std::string_view tool_name, const nlohmann::json& input, Use use) const;

  const std::string& text() const { return text_; }

  // The input field a pattern is matched against for `tool_name` ("" when it takes none).
  static std::string_view patternField(std::string_view tool_name);
  // '*' matches any run of characters; everything else is literal.
  static bool globMatch(std::string_view pattern, std::string_view text);

 private:
  std::string text_;
  std::string name_;
  std::string pattern_;
  bool has_pattern_ = false;
};

}  // namespace switchboard::plugins
