#include "mcp/protocol/envelope.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::protocol {
namespace {

using nlohmann::json;

json meta(json fields) { return {{"_meta", std::move(fields)}}; }

TEST(Envelope, ClaimsModernOnReservedKeysOrAModernHeaderOnly) {
  EXPECT_FALSE(Envelope::claimsModern(json::object(), std::nullopt));
  EXPECT_FALSE(Envelope::claimsModern(meta({{"progressToken", 1}}), std::nullopt));
  EXPECT_FALSE(Envelope::claimsModern(json::object(), std::string("2025-11-25")));
  EXPECT_TRUE(Envelope::claimsModern(json::object(), std::string("2026-07-28")));
  EXPECT_TRUE(Envelope::claimsModern(json::object(), std::string("v999.0.0")));
  EXPECT_TRUE(Envelope::claimsModern(meta({{kMetaClientInfo, json::object()}}), std::nullopt));
}

TEST(Envelope, ValidationLadder) {
  ClientContext out;
  auto error = Envelope::validate(json::object(), std::string("2026-07-28"), out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, -32602);
  EXPECT_EQ(error->http_status, 400);
  error = Envelope::validate(meta({{kMetaClientCapabilities, json::object()}}), std::nullopt, out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, -32602);
  error = Envelope::validate(meta({{kMetaProtocolVersion, "2026-07-28"}}), std::nullopt, out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, -32602);
  json ok = meta({{kMetaProtocolVersion, "2026-07-28"}, {kMetaClientCapabilities, json::object()}});
  error = Envelope::validate(ok, std::string("2025-11-25"), out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, -32020);
  json future =
      meta({{kMetaProtocolVersion, "v999.0.0"}, {kMetaClientCapabilities, json::object()}});
  error = Envelope::validate(future, std::string("v999.0.0"), out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, -32022);
  EXPECT_EQ(error->data["requested"], "v999.0.0");
  EXPECT_EQ(error->data["supported"], json::array({"2026-07-28"}));
  json bad_level = ok;
  bad_level["_meta"][kMetaLogLevel] = "loud";
  EXPECT_EQ(Envelope::validate(bad_level, std::nullopt, out)->code, -32602);
  ok["_meta"][kMetaLogLevel] = "info";
  EXPECT_FALSE(Envelope::validate(ok, std::string("2026-07-28"), out));
  EXPECT_EQ(out.era, Era::kModern);
  EXPECT_EQ(out.log_level, "info");
}

TEST(ClientContext, ElicitationFormModeNeedsFormOrEmpty) {
  ClientContext c;
  c.setCapabilities({{"elicitation", json::object()}});
  EXPECT_TRUE(c.supports("elicitation/create"));
  c.setCapabilities({{"elicitation", {{"url", json::object()}}}});
  EXPECT_FALSE(c.supports("elicitation/create"));
  EXPECT_FALSE(c.supports("sampling/createMessage"));
}

TEST(Era, NegotiatesLegacyVersions) {
  EXPECT_EQ(negotiateLegacyVersion("2025-06-18"), "2025-06-18");
  EXPECT_EQ(negotiateLegacyVersion("2026-07-28"), "2025-11-25");
  EXPECT_EQ(logLevelRank("emergency"), 7);
  EXPECT_EQ(logLevelRank("verbose"), -1);
}

}  // namespace
}  // namespace switchboard::mcp::protocol
