// RequestStateSealer: integrity protection for the 2026-07-28 MRTR `requestState`.
//
// A tool's state string is sealed as base64url(state) "." hex(HMAC-SHA256(key, binding
// "\n" state)), where the binding names the request (method and tool/prompt name), so a
// state minted for one call cannot be replayed on another and any edit is detected. The
// key is random per process (a restarted server rejects old states: clients re-ask).
//
// Thread safety: immutable after construction; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::mcp::protocol {

class RequestStateSealer {
 public:
  RequestStateSealer();  // draws a random 32-byte key from the kernel
  std::string seal(std::string_view state, std::string_view binding) const;
  // nullopt when the token was not produced by seal() with the same binding.
  std::optional<std::string> open(std::string_view token, std::string_view binding) const;

 private:
  std::string mac(std::string_view state, std::string_view binding) const;
  std::string key_;
};

}  // namespace switchboard::mcp::protocol
