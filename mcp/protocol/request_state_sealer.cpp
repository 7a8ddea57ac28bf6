#include "mcp/protocol/request_state_sealer.hpp"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <sys/random.h>

#include <random>

namespace switchboard::mcp::protocol {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode64(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> decode64(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    const char* pos = std::char_traits<char>::find(kAlphabet, 64, c);
    if (pos == nullptr) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(pos - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

// The key comes from the kernel (getrandom), not RAND_bytes: initialising OpenSSL's random
// generator loads its providers and costs ~2 MB of resident memory and a millisecond at
// start-up, for a key most gateways never use. OpenSSL runs on the first seal or open.
RequestStateSealer::RequestStateSealer() : key_(32, '\0') {
  std::size_t filled = 0;
  while (filled < key_.size()) {
    ssize_t n = ::getrandom(key_.data() + filled, key_.size() - filled, 0);
    if (n <= 0) break;
    filled += static_cast<std::size_t>(n);
  }
  if (filled < key_.size()) {
    std::random_device device;
    for (char& c : key_) c = static_cast<char>(device());
  }
}

std::string RequestStateSealer::mac(std::string_view state, std::string_view binding) const {
  std::string message(binding);
  message.push_back('\n');
  message.append(state);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

std::string RequestStateSealer::seal(std::string_view state, std::string_view binding) const {
  return encode64(state) + "." + mac(state, binding);
}

std::optional<std::string> RequestStateSealer::open(std::string_view token,
                                                    std::string_view binding) const {
  auto dot = token.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<std::string> state = decode64(token.substr(0, dot));
  if (!state) return std::nullopt;
  std::string expected = mac(*state, binding);
  std::string_view given = token.substr(dot + 1);
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  return state;
}

}  // namespace switchboard::mcp::protocol
