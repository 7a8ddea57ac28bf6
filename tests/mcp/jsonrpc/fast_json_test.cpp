// fast_json: where simdjson reads a text, it must read what nlohmann's parser reads.
#include "mcp/jsonrpc/fast_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "mcp/jsonrpc/codec.hpp"

namespace switchboard::mcp::jsonrpc {
namespace {

using nlohmann::json;

// Same value, and the same number types (nlohmann tells unsigned from signed integers).
void expectSameAsNlohmann(const std::string& text, const json& fast) {
  json reference = json::parse(text);
  EXPECT_EQ(fast, reference) << text;
  EXPECT_EQ(fast.dump(), reference.dump()) << text;
  std::vector<std::pair<const json*, const json*>> pending{{&fast, &reference}};
  while (!pending.empty()) {
    auto [a, b] = pending.back();
    pending.pop_back();
    if (a->type() != b->type() && !(a->is_number_integer() && b->is_number_integer() &&
                                    *a == 0)) {  // "-0": nlohmann signed, simdjson unsigned
      ADD_FAILURE() << text << ": " << a->dump() << " is a " << a->type_name() << ", nlohmann's "
                    << b->type_name();
      continue;
    }
    if (a->is_structured() && a->size() == b->size()) {
      if (a->is_object()) {
        for (auto it = a->begin(); it != a->end(); ++it)
          pending.emplace_back(&*it, &b->at(it.key()));
      } else {
        for (std::size_t i = 0; i < a->size(); ++i) pending.emplace_back(&(*a)[i], &(*b)[i]);
      }
    }
  }
}

TEST(FastJson, ReadsWhatNlohmannReads) {
  const std::vector<std::string> texts = {
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{}}})",
      R"({"id":-5,"big":18446744073709551615,"neg":-9223372036854775808,"zero":0,"mz":-0})",
      R"({"f":1.5,"e":1e3,"E":-2.5E-3,"tiny":5e-324,"third":0.333333333333333314829616256247})",
      R"({"s":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t","raw":"żółw 😀"})",
      R"({"dup":1,"dup":2,"nested":{"dup":[1],"dup":{"x":null}}})",
      R"([1,"two",[3,[4,{}]],true,false,null])",
      R"(  {"ws" :	[ 1 , 2 ] }  )",
      R"("a string")",
      "42",
      "null",
      R"({"":"","\u0000":"nul"})",
  };
  for (const std::string& text : texts) {
    std::optional<json> fast = parseFast(text);
    ASSERT_TRUE(fast.has_value()) << text;
    expectSameAsNlohmann(text, *fast);
  }
}

TEST(FastJson, GivesUpWhereNlohmannMustDecide) {
  std::string deep;
  for (int i = 0; i <= kFastMaxDepth; ++i) deep += "[";
  for (int i = 0; i <= kFastMaxDepth; ++i) deep += "]";
  std::string large = R"({"pad":")" + std::string(kFastMaxBytes, 'x') + R"("})";
  const std::vector<std::string> texts = {
      "",
      "   ",
      "{",
      R"({"a":1,})",
      R"({"a":1} {})",
      "[1,]",
      "{'a':1}",
      R"({"a":01})",
      R"({"a":1.})",
      "\xef\xbb\xbf{}",
      "nul",
      R"({"a":"\ud800"})",                        // a lone surrogate: nlohmann refuses it
      R"({"a":"\udc00\ud800"})",                  // surrogates in the wrong order
      "{\"a\":\"\xff\"}",                         // invalid UTF-8
      "{\"a\":\"\xc0\xaf\"}",                     // overlong UTF-8
      "{\"a\":\"\xed\xa0\x80\"}",                 // a UTF-8 encoded surrogate
      "{\"a\":\"tab\there\"}",                    // a raw control character
      R"({"a":123456789012345678901234567890})",  // beyond 64 bits: nlohmann reads a float
      R"({"a":1e999})",
      deep,
      large,
  };
  for (const std::string& text : texts) {
    std::optional<json> fast = parseFast(text);
    if (!fast) continue;  // giving up is always allowed
    json reference = json::parse(text, nullptr, false);
    ASSERT_FALSE(reference.is_discarded())
        << "simdjson read what nlohmann refuses: " << testing::PrintToString(text);
    expectSameAsNlohmann(text, *fast);
  }
  EXPECT_FALSE(parseFast(deep).has_value());
  EXPECT_FALSE(parseFast(large).has_value());
  EXPECT_FALSE(parseFast(R"({"a":"\ud800"})").has_value());
  EXPECT_FALSE(parseFast("{\"a\":\"\xff\"}").has_value());
}

TEST(FastJson, ScansTheMembersOfAnObject) {
  std::vector<std::tuple<std::string, JsonKind, std::size_t>> seen;
  auto record = [&](std::string_view key, JsonKind kind, std::size_t size) {
    seen.emplace_back(std::string(key), kind, size);
    return true;
  };
  ASSERT_TRUE(scanObject(
      R"({"n":null,"b":true,"i":-1,"f":1.5,"s":"x","a":[],"o":{},"k\u00e9":1,"a2":[1,[2,3]],"o1":{"x":{}}})",
      record));
  const std::vector<std::tuple<std::string, JsonKind, std::size_t>> expected = {
      {"n", JsonKind::kNull, 0},   {"b", JsonKind::kBool, 0},           {"i", JsonKind::kNumber, 0},
      {"f", JsonKind::kNumber, 0}, {"s", JsonKind::kString, 0},         {"a", JsonKind::kArray, 0},
      {"o", JsonKind::kObject, 0}, {"k\xc3\xa9", JsonKind::kNumber, 0}, {"a2", JsonKind::kArray, 2},
      {"o1", JsonKind::kObject, 1}};
  EXPECT_EQ(seen, expected);

  EXPECT_FALSE(scanObject("[]", record)) << "not an object";
  EXPECT_FALSE(scanObject(R"({"a":1)", record)) << "not JSON";
  EXPECT_FALSE(scanObject("{\"a\":\"\xff\"}", record)) << "invalid UTF-8";
  int calls = 0;
  EXPECT_FALSE(scanObject(R"({"a":1,"b":2})", [&](std::string_view, JsonKind, std::size_t) {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, 1) << "a visit that returns false ends the scan";
}

// Where readMessageFast reads a message, it is the message Codec::fromJson makes of the
// parsed text; everything fromJson refuses or treats otherwise it leaves alone.
TEST(FastJson, ReadsRequestsAsCodecDoesAndLeavesTheRestAlone) {
  struct Case {
    std::string text;
    bool fast;
  };
  const std::vector<Case> cases = {
      {R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{}}})",
       true},
      {R"({"method":"ping","id":"a\"b","jsonrpc":"2.0"})", true},
      {R"({"jsonrpc":"2.0","id":-3,"method":"m","params":{},"extra":[1,{"x":2}]})", true},
      {R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"m"})", true},
      {R"({"jsonrpc":"2.0","method":"notifications/initialized"})", true},
      {R"({"jsonrpc":"2.0","id":1,"result":{}})", false},  // a response
      {R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}})", false},
      {R"({"jsonrpc":"2.0","id":1.5,"method":"m"})", false},  // float id
      {R"({"jsonrpc":"2.0","id":null,"method":"m"})", false},
      {R"({"jsonrpc":"2.0","id":true,"method":"m"})", false},
      {R"({"jsonrpc":"2.0","id":1,"method":""})", false},
      {R"({"jsonrpc":"2.0","id":1,"method":7})", false},
      {R"({"jsonrpc":"1.0","id":1,"method":"m"})", false},
      {R"({"id":1,"method":"m"})", false},
      {R"({"jsonrpc":"2.0","id":1,"method":"m","params":[1]})", false},
      {R"({"jsonrpc":"2.0","id":1,"method":"m","params":null})", false},
      {R"({"jsonrpc":"2.0","id":1,"id":2,"method":"m"})", false},  // repeated members
      {R"({"jsonrpc":"2.0","id":1,"method":"a","method":"b"})", false},
      {R"([{"jsonrpc":"2.0","id":1,"method":"m"}])", false},  // a batch
      {R"({"jsonrpc":"2.0","id":1,"method":"m")", false},     // not JSON
      {R"({"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"m"})", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::optional<Message> fast = readMessageFast(c.text);
    ASSERT_EQ(fast.has_value(), c.fast);
    if (!fast) continue;
    Decoded reference = Codec::fromJson(json::parse(c.text));
    ASSERT_TRUE(reference.ok());
    EXPECT_EQ(fast->kind, reference.message->kind);
    EXPECT_EQ(fast->method, reference.message->method);
    EXPECT_EQ(fast->id, reference.message->id);
    EXPECT_EQ(fast->id.type(), reference.message->id.type());
    EXPECT_EQ(fast->params, reference.message->params);
  }
  // Depth: the members it skips count as much as the ones it reads.
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"m","extra":)";
  for (int i = 0; i < 10; ++i) deep += "[";
  for (int i = 0; i < 10; ++i) deep += "]";
  deep += "}";
  EXPECT_TRUE(readMessageFast(deep, 20).has_value());
  EXPECT_FALSE(readMessageFast(deep, 5).has_value());
}

}  // namespace
}  // namespace switchboard::mcp::jsonrpc
