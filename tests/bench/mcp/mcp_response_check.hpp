// Checks on what an MCP server answers, shared by the benchmark tools: find the JSON-RPC
// response in a body (plain JSON, or the `data:` lines of a text/event-stream), and decide
// whether it is a successful result. A benchmark run counts every failed check as an error
// and is reported as failed, so a server cannot look fast by answering with errors.
// Free functions; safe to call from any thread (checkToolCallResponse keeps one simdjson
// parser per thread).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "switchboard/status.hpp"
#include "tests/bench/mcp/mcp_request_builder.hpp"

namespace switchboard::bench {

// The JSON-RPC response in `body`. `contentType` "text/event-stream" means SSE: events are
// scanned in order, notifications and priming events are skipped, and the first message that
// has an id and a result or error is taken. Any other type is parsed as one JSON object.
// When `expectedId` is set the response must carry that id. kDataLoss when there is no
// parseable response, kFailedPrecondition when the id differs, kInternal for an error
// response with a null id (the server rejected the request before reading its id).
Result<nlohmann::json> extractResponse(std::string_view contentType, std::string_view body,
                                       std::optional<std::int64_t> expectedId);

// OK when `response` is a successful result: no `error`, an object `result`, and for the
// modern era resultType "complete". With `toolCall` the result must also have a `content`
// array and no `isError: true`. kInternal (with the server's message) otherwise.
Status checkResult(const nlohmann::json& response, Era era, bool toolCall);

// extractResponse() and checkResult(.., toolCall = true) in one, for the load generators'
// hot path: OK when `body` holds a successful tool result. `id`, when given, receives the
// response's id whenever there is a response with an integer id, successful or not. A
// successful result is read with simdjson and builds nothing, so the client leaves the cores
// to the server under test; anything else is decided by the two functions above, with their
// statuses and messages (mcp_response_check_test checks that the two paths agree).
Status checkToolCallResponse(std::string_view contentType, std::string_view body,
                             std::optional<std::int64_t> expectedId, Era era,
                             std::optional<std::int64_t>* id = nullptr);

}  // namespace switchboard::bench
