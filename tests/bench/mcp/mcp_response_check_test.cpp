// The load generators' fast response check (checkToolCallResponse) must give the same verdict
// as the reference path it short-cuts (extractResponse, then checkResult): otherwise a
// benchmark could count a failed call as a success, or fail a good one.
#include "tests/bench/mcp/mcp_response_check.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace switchboard::bench {
namespace {

struct Case {
  const char* name;
  std::string contentType;
  std::string body;
  std::optional<std::int64_t> expectedId;
  Era era;
  StatusCode code;                 // what both paths must answer
  std::optional<std::int64_t> id;  // the id checkToolCallResponse reports
};

StatusCode referenceVerdict(const Case& c) {
  auto message = extractResponse(c.contentType, c.body, c.expectedId);
  if (!message.ok()) return message.status().code();
  return checkResult(*message, c.era, true).code();
}

const std::string kJson = "application/json";
const std::string kSse = "text/event-stream";
const std::string kOk =
    R"({"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"hi"}]}})";
const std::string kOkModern =
    R"({"jsonrpc":"2.0","id":7,"result":{"resultType":"complete","content":[]}})";

TEST(McpResponseCheck, FastPathAgreesWithTheReferencePath) {
  const Case cases[] = {
      {"legacy success", kJson, kOk, 7, Era::kLegacy, StatusCode::kOk, 7},
      {"no expected id", kJson, kOk, std::nullopt, Era::kLegacy, StatusCode::kOk, 7},
      {"modern success", kJson, kOkModern, 7, Era::kModern, StatusCode::kOk, 7},
      {"modern without resultType", kJson, kOk, 7, Era::kModern, StatusCode::kInternal, 7},
      {"modern, another resultType", kJson,
       R"({"jsonrpc":"2.0","id":7,"result":{"resultType":"input_required","content":[]}})", 7,
       Era::kModern, StatusCode::kInternal, 7},
      {"isError true", kJson, R"({"jsonrpc":"2.0","id":7,"result":{"isError":true,"content":[]}})",
       7, Era::kLegacy, StatusCode::kInternal, 7},
      {"isError false", kJson,
       R"({"jsonrpc":"2.0","id":7,"result":{"isError":false,"content":[]}})", 7, Era::kLegacy,
       StatusCode::kOk, 7},
      {"isError not a boolean", kJson,
       R"({"jsonrpc":"2.0","id":7,"result":{"isError":"yes","content":[]}})", 7, Era::kLegacy,
       StatusCode::kOk, 7},
      {"content missing", kJson, R"({"jsonrpc":"2.0","id":7,"result":{}})", 7, Era::kLegacy,
       StatusCode::kInternal, 7},
      {"content not an array", kJson, R"({"jsonrpc":"2.0","id":7,"result":{"content":{}}})", 7,
       Era::kLegacy, StatusCode::kInternal, 7},
      {"result not an object", kJson, R"({"jsonrpc":"2.0","id":7,"result":[]})", 7, Era::kLegacy,
       StatusCode::kInternal, 7},
      {"JSON-RPC error", kJson,
       R"({"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"no such method"}})", 7,
       Era::kLegacy, StatusCode::kInternal, 7},
      {"error without id", kJson,
       R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}})", 7,
       Era::kLegacy, StatusCode::kInternal, std::nullopt},
      {"another id", kJson, kOk, 8, Era::kLegacy, StatusCode::kFailedPrecondition, std::nullopt},
      {"string id", kJson, R"({"jsonrpc":"2.0","id":"7","result":{"content":[]}})", std::nullopt,
       Era::kLegacy, StatusCode::kOk, std::nullopt},
      {"notification", kJson, R"({"jsonrpc":"2.0","method":"notifications/progress"})",
       std::nullopt, Era::kLegacy, StatusCode::kDataLoss, std::nullopt},
      {"log line", kJson, "server started", std::nullopt, Era::kLegacy, StatusCode::kDataLoss,
       std::nullopt},
      {"truncated", kJson, kOk.substr(0, 30), 7, Era::kLegacy, StatusCode::kDataLoss, std::nullopt},
      {"SSE, priming event first", kSse, "id: 1\ndata:\n\nevent: message\ndata: " + kOk + "\n\n", 7,
       Era::kLegacy, StatusCode::kOk, 7},
      {"SSE, a notification first", kSse,
       "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n\ndata: " + kOk +
           "\r\n\r\n",
       7, Era::kLegacy, StatusCode::kOk, 7},
      {"SSE without a final blank line", kSse, "data: " + kOk, 7, Era::kLegacy, StatusCode::kOk, 7},
      {"SSE, isError", kSse,
       "data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"isError\":true,\"content\":[]}}\n\n", 7,
       Era::kLegacy, StatusCode::kInternal, 7},
      {"SSE without a response", kSse, ": comment\n\ndata: {\"method\":\"x\"}\n\n", 7, Era::kLegacy,
       StatusCode::kDataLoss, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_EQ(referenceVerdict(c), c.code) << "the table disagrees with the reference path";
    std::optional<std::int64_t> id;
    Status s = checkToolCallResponse(c.contentType, c.body, c.expectedId, c.era, &id);
    EXPECT_EQ(s.code(), c.code) << s.toString();
    EXPECT_EQ(id, c.id);
  }
}

}  // namespace
}  // namespace switchboard::bench
