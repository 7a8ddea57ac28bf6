# Finds every third-party dependency, all from Debian 12 packages (see .ci/install-deps).
include_guard(GLOBAL)

find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG)  # header-only use: Boost.DLL
find_package(nlohmann_json 3.11 REQUIRED)
find_package(simdjson 3 REQUIRED)  # the MCP hot path's JSON reading (mcp/jsonrpc/fast_json)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)

# valijson is header-only. Debian's libvalijson-dev pulls Qt, Poco and four other JSON
# libraries as hard dependencies; .ci/install-deps unpacks just its headers from the
# Debian package into /usr/local/include instead.
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp PATHS /usr/local/include /usr/include)
if(NOT VALIJSON_INCLUDE_DIR)
  message(FATAL_ERROR "valijson headers not found: run `bash .ci/install-deps`")
endif()
add_library(switchboard_valijson INTERFACE)
target_include_directories(switchboard_valijson SYSTEM INTERFACE ${VALIJSON_INCLUDE_DIR})
target_link_libraries(switchboard_valijson INTERFACE nlohmann_json::nlohmann_json)
# Schema parse errors surface as exceptions that the validator wrapper turns into Status.
target_compile_definitions(switchboard_valijson INTERFACE VALIJSON_USE_EXCEPTIONS=1)

if(SWITCHBOARD_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
