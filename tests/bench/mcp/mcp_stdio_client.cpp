#include "tests/bench/mcp/mcp_stdio_client.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tests/bench/mcp/mcp_response_check.hpp"

namespace switchboard::bench {

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::unavailable(std::string("write to server: ") + std::strerror(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

McpStdioClient::McpStdioClient(int in, int out, const McpRequestBuilder& builder, int timeoutMs)
    : in_(in), reader_(out), builder_(builder), timeoutMs_(timeoutMs) {}

Result<nlohmann::json> McpStdioClient::awaitResponse(std::int64_t id) {
  for (;;) {
    auto line = reader_.readLine(timeoutMs_);
    if (!line.ok()) return line.status();
    auto message = extractResponse("application/json", *line, id);
    if (message.ok() || message.status().code() != StatusCode::kDataLoss) {  // ours, or an error
      return message;
    }
  }
}

Status McpStdioClient::open() {
  std::int64_t id = nextId_++;
  std::string_view method = builder_.openingMethod();
  SB_RETURN_IF_ERROR(writeAll(in_, builder_.opening(id) + "\n"));
  auto response = awaitResponse(id);
  if (!response.ok()) return response.status().withContext(std::string(method));
  return checkResult(*response, builder_.era(), false).withContext(std::string(method));
}

Status McpStdioClient::finishHandshake() {
  if (builder_.era() == Era::kModern) return {};
  return writeAll(in_, builder_.initializedNotification() + "\n");
}

Status McpStdioClient::handshake() {
  if (builder_.era() == Era::kModern) return {};
  SB_RETURN_IF_ERROR(open());
  return finishHandshake();
}

Status McpStdioClient::callTool() {
  std::int64_t id = nextId_++;
  SB_RETURN_IF_ERROR(writeAll(in_, builder_.toolsCall(id) + "\n"));
  auto response = awaitResponse(id);
  if (!response.ok()) return response.status().withContext("tools/call");
  return checkResult(*response, builder_.era(), true).withContext("tools/call");
}

}  // namespace switchboard::bench
