#include "plugins/agent/claude_code/tool_rule.hpp"

#include <array>
#include <filesystem>
#include <utility>
#include <vector>

namespace switchboard::plugins {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kPatternFields = {{
    {"Bash", "command"},
    {"Read", "file_path"},
    {"Write", "file_path"},
    {"Edit", "file_path"},
    {"MultiEdit", "file_path"},
    {"NotebookEdit", "notebook_path"},
    {"WebFetch", "url"},
    {"WebSearch", "query"},
}};

bool nameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '*';
}

std::string_view trimmed(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  std::size_t begin = s.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kBlank) - begin + 1);
}

// A command a pattern may allow: no chaining, pipes, substitution or redirection.
bool simpleCommand(std::string_view command) {
  if (command.find_first_of(";&|`><\n\r") != std::string_view::npos) return false;
  return command.find("$(") == std::string_view::npos;
}

// The command and every piece of it between ; & | and line breaks.
std::vector<std::string_view> commandPieces(std::string_view command) {
  std::vector<std::string_view> pieces{trimmed(command)};
  std::size_t start = 0;
  while (start <= command.size()) {
    std::size_t end = command.find_first_of(";&|\n\r", start);
    std::string_view piece =
        trimmed(command.substr(start, end == std::string_view::npos ? end : end - start));
    if (!piece.empty()) pieces.push_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return pieces;
}

// Programs that run another command given to them, so a pattern cannot see what runs.
constexpr std::array<std::string_view, 25> kWrappers = {
    "bash",    "sh",     "zsh",  "dash",  "ksh",      "fish",   "env",   "command", "exec",
    "eval",    "xargs",  "sudo", "doas",  "su",       "nohup",  "time",  "nice",    "timeout",
    "builtin", "source", ".",    "watch", "parallel", "setsid", "stdbuf"};

// True when a deny pattern cannot tell what `command` runs: substitutions, subshells, or a
// piece whose program is a path, a variable, quoted or escaped, set after an environment
// assignment, a wrapper that runs another command, or find's -exec / -delete.
bool opaqueCommand(std::string_view command, const std::vector<std::string_view>& pieces) {
  if (command.find("$(") != std::string_view::npos || command.find('`') != std::string_view::npos ||
      command.find("<(") != std::string_view::npos ||
      command.find(">(") != std::string_view::npos) {
    return true;
  }
  for (std::size_t i = 1; i < pieces.size(); ++i) {  // pieces[0] is the whole command
    std::string_view piece = pieces[i];
    std::string_view program = piece.substr(0, piece.find_first_of(" \t"));
    if (program.find_first_of("/=$'\"\\({") != std::string_view::npos) return true;
    for (std::string_view wrapper : kWrappers) {
      if (program == wrapper) return true;
    }
    if (program == "find" && (piece.find("-exec") != std::string_view::npos ||
                              piece.find("-ok") != std::string_view::npos ||
                              piece.find("-delete") != std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

bool pathTool(std::string_view tool_name) {
  return ToolRule::patternField(tool_name) == "file_path" ||
         ToolRule::patternField(tool_name) == "notebook_path";
}

// "/a//b/./c/../d" as "/a/b/d"; empty when the path climbs above where it starts
// ("../x", "/.." stays "/").
std::string normalPath(const std::string& raw) {
  std::filesystem::path normal = std::filesystem::path(raw).lexically_normal();
  if (!normal.empty() && *normal.begin() == "..") return {};
  return normal.string();
}

}  // namespace

std::string_view ToolRule::patternField(std::string_view tool_name) {
  for (const auto& [tool, field] : kPatternFields) {
    if (tool == tool_name) return field;
  }
  return {};
}

bool ToolRule::globMatch(std::string_view pattern, std::string_view text) {
  // Greedy with backtracking to the last '*': linear in practice, never exponential.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<ToolRule> ToolRule::parse(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::invalidArgument("tool rule \"" + std::string(text) + "\": " + why);
  };
  ToolRule rule;
  rule.text_ = std::string(text);
  std::size_t open = text.find('(');
  std::string_view name = text.substr(0, open);
  if (open != std::string_view::npos) {
    if (text.back() != ')') return bad("a pattern is written NAME(PATTERN), with ')' last");
    std::string_view pattern = text.substr(open + 1, text.size() - open - 2);
    if (trimmed(pattern).empty()) return bad("the pattern in parentheses is empty");
    if (pattern.find_first_of("\n\r") != std::string_view::npos)
      return bad("the pattern holds a line break");
    rule.pattern_ = std::string(pattern);
    rule.has_pattern_ = true;
  }
  if (name.empty()) return bad("the tool name is empty");
  for (char c : name) {
    if (!nameChar(c))
      return bad("a tool name holds only letters, digits, '_', '-' and the wildcard '*'");
  }
  if (rule.has_pattern_ && patternField(name).empty()) {
    return bad(
        "only Bash, Read, Write, Edit, MultiEdit, NotebookEdit, WebFetch and WebSearch take a "
        "pattern; write the tool name alone");
  }
  rule.name_ = std::string(name);
  return rule;
}

bool ToolRule::matches(std::string_view tool_name, const nlohmann::json& input, Use use) const {
  if (!globMatch(name_, tool_name)) return false;
  if (!has_pattern_) return true;
  if (!input.is_object()) return false;
  auto field = input.find(std::string(patternField(name_)));
  if (field == input.end() || !field->is_string()) return false;
  const std::string& value = field->get_ref<const std::string&>();
  if (pathTool(tool_name)) {
    // Matched as normalised, so "/repo/../etc/x" is "/etc/x" to allow and deny rules alike.
    std::string normal = normalPath(value);
    if (use == Use::kAllow) return !normal.empty() && globMatch(pattern_, normal);
    return globMatch(pattern_, value) || normal.empty() || globMatch(pattern_, normal);
  }
  if (name_ != "Bash") return globMatch(pattern_, value);
  if (use == Use::kAllow) return simpleCommand(value) && globMatch(pattern_, trimmed(value));
  std::vector<std::string_view> pieces = commandPieces(value);
  for (std::string_view piece : pieces) {
    if (globMatch(pattern_, piece)) return true;
  }
  return opaqueCommand(value, pieces);
}

}  // namespace switchboard::plugins
