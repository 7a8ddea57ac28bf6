#include "mcp/jsonrpc/codec.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::jsonrpc {
namespace {

using nlohmann::json;

TEST(Codec, DecodesRequestsNotificationsAndResponses) {
  Decoded request =
      Codec::decode(R"({"jsonrpc":"2.0","id":"a-1","method":"tools/list","params":{}})");
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request.message->isRequest());
  EXPECT_EQ(request.message->id, "a-1");
  Decoded numeric = Codec::decode(R"({"jsonrpc":"2.0","id":7,"method":"ping"})");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric.message->id, 7);
  EXPECT_TRUE(numeric.message->params.is_null());
  Decoded note = Codec::decode(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  ASSERT_TRUE(note.ok());
  EXPECT_TRUE(note.message->isNotification());
  Decoded response = Codec::decode(R"({"jsonrpc":"2.0","id":"sb-1","result":{"action":"accept"}})");
  ASSERT_TRUE(response.ok());
  EXPECT_TRUE(response.message->isResponse());
  Decoded error =
      Codec::decode(R"({"jsonrpc":"2.0","id":"sb-2","error":{"code":-1,"message":"x"}})");
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(error.message->error["code"], -1);
}

TEST(Codec, KeepsStringAndNumberIdsDistinct) {
  Decoded a = Codec::decode(R"({"jsonrpc":"2.0","id":"1","method":"ping"})");
  Decoded b = Codec::decode(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.message->id, b.message->id);
  EXPECT_EQ(Codec::encode(makeResult(a.message->id, json::object())),
            R"({"id":"1","jsonrpc":"2.0","result":{}})");
}

struct Bad {
  const char* text;
  int code;
  json id;
};

TEST(Codec, RefusesMalformedInputWithTheRightCode) {
  const Bad cases[] = {
      {"{not json", kParseError, nullptr},
      {"", kParseError, nullptr},
      {"42", kInvalidRequest, nullptr},
      {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", kInvalidRequest, nullptr},
      {R"({"id":1,"method":"ping"})", kInvalidRequest, 1},
      {R"({"jsonrpc":"1.0","id":"x","method":"ping"})", kInvalidRequest, "x"},
      {R"({"jsonrpc":"2.0","id":3,"method":5})", kInvalidRequest, 3},
      {R"({"jsonrpc":"2.0","id":3,"method":""})", kInvalidRequest, 3},
      {R"({"jsonrpc":"2.0","id":4,"method":"ping","params":[1]})", kInvalidRequest, 4},
      {R"({"jsonrpc":"2.0","id":null,"method":"ping"})", kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":true,"method":"ping"})", kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","result":{}})", kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":5,"result":{},"error":{"code":1,"message":""}})", kInvalidRequest,
       5},
      {R"({"jsonrpc":"2.0","id":6,"error":"bad"})", kInvalidRequest, 6},
  };
  for (const Bad& c : cases) {
    Decoded d = Codec::decode(c.text);
    EXPECT_FALSE(d.ok()) << c.text;
    EXPECT_EQ(d.error.code, c.code) << c.text;
    EXPECT_EQ(d.error_id, c.id) << c.text;
  }
}

TEST(Codec, EnforcesSizeAndDepthLimits) {
  CodecLimits limits;
  limits.max_bytes = 64;
  std::string big =
      R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":")" + std::string(100, 'a') + "\"}}";
  EXPECT_EQ(Codec::decode(big, limits).error.code, kInvalidRequest);
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":)";
  for (int i = 0; i < 500; ++i) deep += "[";
  for (int i = 0; i < 500; ++i) deep += "]";
  deep += "}}";
  Decoded d = Codec::decode(deep);
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.error.code, kInvalidRequest);

  // A lower limit holds on every path (simdjson's and nlohmann's): params at depth 1, its
  // members at 2, the array's items at 3.
  CodecLimits shallow;
  shallow.max_depth = 2;
  std::string two = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":[]}})";
  std::string three = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":[1]}})";
  EXPECT_TRUE(Codec::decode(two, shallow).ok());
  Decoded too_deep = Codec::decode(three, shallow);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error.code, kInvalidRequest);
  EXPECT_EQ(too_deep.error.message, "message nested too deeply");
}

TEST(Codec, EncodesOneLineAndSurvivesInvalidUtf8) {
  json message = makeNotification("notifications/message",
                                  {{"data", "line1\nline2"}, {"bad", std::string("\xff\xfe", 2)}});
  std::string text = Codec::encode(message);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("\\n"), std::string::npos);
}

TEST(Codec, EncodesAResultThatIsAlreadyText) {
  const std::string result = R"({"content":[{"type":"text","text":"a \"b\""}]})";
  for (const json& id : {json(7), json("req \"1\""), json(std::uint64_t{18446744073709551615u})}) {
    std::string text = Codec::encodeResult(id, result);
    EXPECT_EQ(json::parse(text), makeResult(id, json::parse(result))) << text;
    Decoded back = Codec::decode(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(back.message->kind, MessageKind::kResponse);
    EXPECT_EQ(back.message->id, id);
  }
}

}  // namespace
}  // namespace switchboard::mcp::jsonrpc
