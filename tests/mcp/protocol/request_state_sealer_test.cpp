#include "mcp/protocol/request_state_sealer.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::protocol {
namespace {

TEST(RequestStateSealer, OpensOnlyUntouchedStatesForTheSameBinding) {
  RequestStateSealer sealer;
  std::string token = sealer.seal("round-2:Alice", "tools/call\nx");
  EXPECT_EQ(sealer.open(token, "tools/call\nx"), "round-2:Alice");
  EXPECT_EQ(sealer.open(token, "tools/call\ny"), std::nullopt);
  EXPECT_EQ(sealer.open(token + "-TAMPERED", "tools/call\nx"), std::nullopt);
  EXPECT_EQ(sealer.open("garbage", "tools/call\nx"), std::nullopt);
  RequestStateSealer other;
  EXPECT_EQ(other.open(token, "tools/call\nx"), std::nullopt);
  EXPECT_EQ(sealer.open(sealer.seal("", "b"), "b"), "");
}

}  // namespace
}  // namespace switchboard::mcp::protocol
