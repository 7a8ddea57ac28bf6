// The plugin ABI guard: sha256 over sdk/include/** (each file's path relative to
// sdk/include, a NUL, its contents, a NUL; files in sorted path order) must equal
// sdk/abi.sha256. Any change to the SDK headers fails this test until someone decides
// whether it changes the ABI (then bumps SB_ABI_VERSION) and records the new hash.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::filesystem::path kSdk = std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "sdk";

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string headersHash() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSdk / "include")) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path().lexically_relative(kSdk / "include").generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  const char nul = '\0';
  for (const std::string& file : files) {
    std::string contents = readFile(kSdk / "include" / file);
    EVP_DigestUpdate(context, file.data(), file.size());
    EVP_DigestUpdate(context, &nul, 1);
    EVP_DigestUpdate(context, contents.data(), contents.size());
    EVP_DigestUpdate(context, &nul, 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    unsigned char byte = digest[i];
    char pair[3];
    std::snprintf(pair, sizeof(pair), "%02x", byte);
    hex += pair;
  }
  return hex;
}

TEST(AbiHash, SdkHeadersMatchTheRecordedHash) {
  std::string recorded = readFile(kSdk / "abi.sha256");
  recorded = recorded.substr(0, recorded.find_first_of(" \t\r\n"));
  ASSERT_EQ(recorded.size(), 64u) << "sdk/abi.sha256 must hold one sha256 in hex";
  std::string actual = headersHash();
  EXPECT_EQ(actual, recorded)
      << "The SDK headers (sdk/include/**) changed. If the change alters any layout, virtual "
         "table, signature or behaviour a built plugin relies on, bump SB_ABI_VERSION in "
         "sdk/include/switchboard/version.hpp (and \"abi\" in every plugin.json). Either way, "
         "record the new hash:\n  echo "
      << actual << " > sdk/abi.sha256";
}

}  // namespace
