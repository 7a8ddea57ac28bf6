#include "mcp/jsonrpc/error_codes.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::jsonrpc {
namespace {

TEST(ErrorCodes, MapsEveryStatusCode) {
  EXPECT_EQ(errorFromStatus(Status::invalidArgument("x")).code, kInvalidParams);
  EXPECT_EQ(errorFromStatus(Status::notFound("x")).code, kInvalidParams);
  EXPECT_EQ(errorFromStatus(Status::unimplemented("x")).code, kMethodNotFound);
  for (StatusCode code :
       {StatusCode::kAlreadyExists, StatusCode::kFailedPrecondition, StatusCode::kPermissionDenied,
        StatusCode::kResourceExhausted, StatusCode::kDeadlineExceeded, StatusCode::kCancelled,
        StatusCode::kUnavailable, StatusCode::kInternal, StatusCode::kAborted,
        StatusCode::kDataLoss}) {
    Error error = errorFromStatus(Status(code, "m"));
    EXPECT_EQ(error.code, kInternalError);
    EXPECT_EQ(error.message, "m");
  }
}

TEST(ErrorCodes, OmitsDataWhenNull) {
  EXPECT_FALSE(invalidParams("x").toJson().contains("data"));
  Error with = invalidParams("x");
  with.data = {{"uri", "u"}};
  EXPECT_EQ(with.toJson()["data"]["uri"], "u");
  EXPECT_EQ(parseError("p").http_status, 400);
}

}  // namespace
}  // namespace switchboard::mcp::jsonrpc
