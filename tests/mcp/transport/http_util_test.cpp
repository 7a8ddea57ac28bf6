// The HTTP transport's header helpers: case-insensitive names, the first of repeated
// headers, absent headers, and the media-type checks built on them.
#include "mcp/transport/http_util.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

namespace switchboard::mcp::transport {
namespace {

httplib::Request request(std::initializer_list<std::pair<std::string, std::string>> headers) {
  httplib::Request req;
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  return req;
}

TEST(HttpHeader, NamesMatchWhateverTheirCase) {
  httplib::Request req =
      request({{"mcp-session-id", "abc"}, {"MCP-PROTOCOL-VERSION", "2025-11-25"}});
  EXPECT_EQ(header(req, "Mcp-Session-Id"), "abc");
  EXPECT_EQ(header(req, "mcp-protocol-version"), "2025-11-25");
  EXPECT_EQ(header(req, "MCP-Protocol-Version"), req.get_header_value("MCP-Protocol-Version"));
}

TEST(HttpHeader, AbsentIsNulloptAndEmptyIsPresent) {
  httplib::Request req = request({{"Origin", ""}, {"Mcp-Session", "x"}});
  EXPECT_EQ(header(req, "Mcp-Session-Id"), std::nullopt) << "a prefix is not a match";
  EXPECT_EQ(header(req, "Host"), std::nullopt);
  ASSERT_TRUE(header(req, "origin").has_value());
  EXPECT_EQ(*header(req, "origin"), "");
}

TEST(HttpHeader, ARepeatedHeaderGivesItsFirstValueLikeHttplib) {
  httplib::Request req = request({{"Accept", "application/json"}, {"accept", "text/event-stream"}});
  EXPECT_EQ(header(req, "Accept"), "application/json");
  EXPECT_EQ(header(req, "Accept"), req.get_header_value("Accept"));
}

TEST(HttpHeader, ContentTypeAndAcceptChecks) {
  EXPECT_TRUE(isJsonContentType(request({{"Content-Type", "application/json"}})));
  EXPECT_TRUE(isJsonContentType(request({{"content-type", "Application/JSON; charset=utf-8"}})));
  EXPECT_FALSE(isJsonContentType(request({{"Content-Type", "text/plain"}})));
  EXPECT_FALSE(isJsonContentType(request({{"Content-Type", "application/js"}})));
  EXPECT_FALSE(isJsonContentType(request({})));

  EXPECT_TRUE(acceptsEventStream(request({{"Accept", "application/json, text/event-stream"}})));
  EXPECT_TRUE(acceptsEventStream(request({{"accept", "*/*"}})));
  EXPECT_FALSE(acceptsEventStream(request({{"Accept", "application/json"}})));
  EXPECT_FALSE(acceptsEventStream(request({})));
  EXPECT_TRUE(acceptsJson(request({})));
  EXPECT_TRUE(acceptsJson(request({{"Accept", "application/*"}})));
  EXPECT_FALSE(acceptsJson(request({{"Accept", "text/event-stream"}})));
}

}  // namespace
}  // namespace switchboard::mcp::transport
