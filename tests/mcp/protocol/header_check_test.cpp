#include "mcp/protocol/header_check.hpp"

#include <gtest/gtest.h>

#include <map>

namespace switchboard::mcp::protocol {
namespace {

using nlohmann::json;

HeaderCheck::HeaderLookup headers(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(HeaderCheck, MethodAndNameMustMirrorTheBody) {
  json params = {{"name", "tool_a"}};
  EXPECT_FALSE(
      HeaderCheck::check("tools/list", {}, headers({{"Mcp-Method", "tools/list"}}), nullptr));
  EXPECT_EQ(HeaderCheck::check("tools/list", {}, headers({}), nullptr)->code, -32020);
  EXPECT_TRUE(
      HeaderCheck::check("tools/list", {}, headers({{"Mcp-Method", "TOOLS/LIST"}}), nullptr));
  EXPECT_TRUE(
      HeaderCheck::check("tools/call", params, headers({{"Mcp-Method", "tools/call"}}), nullptr));
  EXPECT_FALSE(HeaderCheck::check(
      "tools/call", params, headers({{"Mcp-Method", "tools/call"}, {"Mcp-Name", "  tool_a  "}}),
      nullptr));
  EXPECT_TRUE(HeaderCheck::check("tools/call", params,
                                 headers({{"Mcp-Method", "tools/call"}, {"Mcp-Name", "tool_b"}}),
                                 nullptr));
  EXPECT_FALSE(HeaderCheck::check(
      "resources/read", {{"uri", "test://x"}},
      headers({{"Mcp-Method", "resources/read"}, {"Mcp-Name", "=?base64?dGVzdDovL3g=?="}}),
      nullptr));
}

TEST(HeaderCheck, ParamHeadersFollowXMcpHeader) {
  json schema = {{"type", "object"},
                 {"properties", {{"region", {{"type", "string"}, {"x-mcp-header", "Region"}}}}}};
  auto with = [](std::string value) {
    return headers({{"Mcp-Method", "tools/call"}, {"Mcp-Name", "t"}, {"Mcp-Param-Region", value}});
  };
  json params = {{"name", "t"}, {"arguments", {{"region", "Hello"}}}};
  EXPECT_FALSE(HeaderCheck::check("tools/call", params, with("=?base64?SGVsbG8=?="), schema));
  EXPECT_TRUE(HeaderCheck::check("tools/call", params, with("=?base64?SGVsbG8?="), schema));
  EXPECT_TRUE(HeaderCheck::check("tools/call", params, with("=?base64?SGVs!!!bG8=?="), schema));
  EXPECT_FALSE(HeaderCheck::check("tools/call", params, with("Hello"), schema));
  EXPECT_TRUE(HeaderCheck::check(
      "tools/call", params, headers({{"Mcp-Method", "tools/call"}, {"Mcp-Name", "t"}}), schema));
}

TEST(HeaderCheck, DecodesOnlyCompleteSentinels) {
  EXPECT_EQ(HeaderCheck::decodeValue("=?base64?SGVsbG8=?="), "Hello");
  EXPECT_EQ(HeaderCheck::decodeValue("=?base64?SGVsbG8="), "=?base64?SGVsbG8=");
  EXPECT_EQ(HeaderCheck::decodeValue("=?base64?SGVsbG8?="), std::nullopt);
}

}  // namespace
}  // namespace switchboard::mcp::protocol
