#include "mcp/protocol/result_shaper.hpp"
#include "mcp/protocol/envelope.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::protocol {
namespace {

using nlohmann::json;

TEST(ResultShaper, LegacyDropsModernFieldsAndNonObjectStructuredContent) {
  ClientContext legacy;
  json r = {{"resultType", "complete"}, {"ttlMs", 5}, {"content", json::array()},
            {"structuredContent", json::array({1, 2})}};
  ResultShaper::shape(r, legacy, "tools/call", {{"name", "s"}}, {});
  EXPECT_FALSE(r.contains("resultType"));
  EXPECT_FALSE(r.contains("ttlMs"));
  EXPECT_FALSE(r.contains("structuredContent"));
  json tools = {{"tools", {{{"name", "a"}, {"inputSchema", {{"type", "object"}}},
                            {"outputSchema", {{"type", "array"}}}, {"icons", json::array()}}}}};
  legacy.version = "2025-06-18";
  ResultShaper::shape(tools, legacy, "tools/list", {{"name", "s"}}, {});
  EXPECT_FALSE(tools["tools"][0].contains("outputSchema"));
  EXPECT_FALSE(tools["tools"][0].contains("icons"));
}

TEST(ResultShaper, ModernAddsResultTypeCachingAndServerInfo) {
  ClientContext modern;
  modern.era = Era::kModern;
  json r = json::object();
  ResultShaper::shape(r, modern, "resources/read", {{"name", "s"}, {"version", "1"}}, {7, "private"});
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

}  // namespace
}  // namespace switchboard::mcp::protocol
