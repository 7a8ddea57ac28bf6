#include "mcp/protocol/result_shaper.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mcp/protocol/envelope.hpp"

namespace switchboard::mcp::protocol {
namespace {

using nlohmann::json;

TEST(ResultShaper, LegacyDropsModernFieldsAndNonObjectStructuredContent) {
  ClientContext legacy;
  json r = {{"resultType", "complete"},
            {"ttlMs", 5},
            {"content", json::array()},
            {"structuredContent", json::array({1, 2})}};
  ResultShaper::shape(r, legacy, "tools/call", {{"name", "s"}}, {});
  EXPECT_FALSE(r.contains("resultType"));
  EXPECT_FALSE(r.contains("ttlMs"));
  EXPECT_FALSE(r.contains("structuredContent"));
  json tools = {{"tools",
                 {{{"name", "a"},
                   {"inputSchema", {{"type", "object"}}},
                   {"outputSchema", {{"type", "array"}}},
                   {"icons", json::array()}}}}};
  legacy.version = "2025-06-18";
  ResultShaper::shape(tools, legacy, "tools/list", {{"name", "s"}}, {});
  EXPECT_FALSE(tools["tools"][0].contains("outputSchema"));
  EXPECT_FALSE(tools["tools"][0].contains("icons"));
}

TEST(ResultShaper, ModernAddsResultTypeCachingAndServerInfo) {
  ClientContext modern;
  modern.era = Era::kModern;
  json r = json::object();
  ResultShaper::shape(r, modern, "resources/read", {{"name", "s"}, {"version", "1"}},
                      {7, "private"});
  EXPECT_EQ(r["resultType"], "complete");
  EXPECT_EQ(r["ttlMs"], 7);
  EXPECT_EQ(r["cacheScope"], "private");
  EXPECT_EQ(r["_meta"][kMetaServerInfo]["name"], "s");
  json irr = {{"resultType", "input_required"}, {"requestState", "x"}};
  ResultShaper::shape(irr, modern, "tools/call", {{"name", "s"}}, {});
  EXPECT_FALSE(irr.contains("ttlMs"));
  json ping = json::object();
  ResultShaper::shape(ping, modern, "completion/complete", {{"name", "s"}}, {});
  EXPECT_FALSE(ping.contains("cacheScope"));
}

// The text path must send exactly what parsing the text and shape() would, or step aside.
TEST(ResultShaper, ToolResultTextGoesOutAsTheShapedResultWouldOrNotAtAll) {
  const json info = {{"name", "s"}, {"version", "1"}};
  ClientContext legacy;
  ClientContext modern;
  modern.era = Era::kModern;
  struct Case {
    std::string text;
    bool fast;  // expected to go out without being rebuilt
  };
  const std::vector<Case> cases = {
      {R"({"content":[{"type":"text","text":"hi"}]})", true},
      {R"(  {"content":[{"type":"text","text":"{}"}],"isError":true,"structuredContent":{"a":[1,{"b":null}]}} )",
       true},
      {R"({"content":[{"type":"text","text":"caf\u00e9 \"q\" {not a brace}"}],"x":1.5e3})", true},
      {R"({"_meta":{"k":1},"content":[]})", true},  // legacy; modern must merge _meta
      {R"({"content":{}})", false},
      {R"({"content":[],"isError":"yes"})", false},
      {R"({"content":[],"structuredContent":[1]})", false},
      {R"({"content":[],"structuredContent":{"a":1}})", false},  // gets text content
      {R"({"structuredContent":{"a":1}})", false},
      {R"({"content":[],"resultType":"complete"})", false},
      {R"({"content":[],"ttlMs":5})", false},
      {R"({"content":[],"cacheScope":"public"})", false},
      {R"({"content":[],"content":[]})", false},
      {R"({"isError":false})", false},
      {R"({})", false},
      {"{\"content\":[],\n\"isError\":false}", false},
      {"{\"content\":[]}\r", false},
      {R"([{"content":[]}])", false},
      {R"({"content":[]} {})", false},
      {R"({"content":[})", false},
      {"{\"content\":[\"\xff\"]}", false},
      {"", false},
  };
  for (const Case& c : cases) {
    for (const ClientContext* client : {&legacy, &modern}) {
      SCOPED_TRACE(c.text + (client->modern() ? " (modern)" : " (legacy)"));
      std::string text = c.text;
      bool fast = ResultShaper::shapeToolResultText(text, *client, info.dump());
      bool expect_fast = c.fast && !(client->modern() && c.text.find("_meta") != std::string::npos);
      ASSERT_EQ(fast, expect_fast);
      if (!fast) {
        EXPECT_EQ(text, c.text) << "a text left to the parser is left as it was";
        continue;
      }
      EXPECT_EQ(text.find_first_of("\r\n"), std::string::npos);
      json shaped = json::parse(c.text);
      ResultShaper::shape(shaped, *client, "tools/call", info, {});
      EXPECT_EQ(json::parse(text), shaped);
    }
  }
}

}  // namespace
}  // namespace switchboard::mcp::protocol
