// Version and ABI identity of the Switchboard plugin SDK.
//
// SB_ABI_VERSION changes whenever any header under sdk/include/ changes in a way that
// alters layout or virtual tables; tests/sdk/abi_hash_test.cpp enforces a deliberate
// bump by hashing these headers. SB_ABI_TAG names the toolchain a plugin was compiled
// with (compiler family and major version, C++ standard library and its string ABI,
// C++ standard). The host refuses a plugin whose version or tag differs from its own,
// before any C++ object crosses the boundary. Data crosses as JSON text, so the JSON
// library a plugin uses (or its version) is not part of the tag.
#pragma once

#define SB_ABI_VERSION 3
#define SB_SDK_VERSION "0.3.0"

#define SB_STRINGIFY_IMPL(x) #x
#define SB_STRINGIFY(x) SB_STRINGIFY_IMPL(x)

#if defined(__clang__)
#define SB_ABI_COMPILER "clang-" SB_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define SB_ABI_COMPILER "gcc-" SB_STRINGIFY(__GNUC__)
#else
#define SB_ABI_COMPILER "unknown"
#endif

// <version> defines the standard library identification macros.
#include <version>
#if defined(_LIBCPP_VERSION)
#define SB_ABI_STDLIB "libc++"
#elif defined(__GLIBCXX__)
#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define SB_ABI_STDLIB "libstdc++-cxx11"
#else
#define SB_ABI_STDLIB "libstdc++-old"
#endif
#else
#define SB_ABI_STDLIB "unknown"
#endif

#if __cplusplus >= 202002L
#define SB_ABI_CXX "c++20"
#else
#error "Switchboard plugins must be compiled as C++20 or later"
#endif

#define SB_ABI_TAG SB_ABI_COMPILER "/" SB_ABI_STDLIB "/" SB_ABI_CXX
