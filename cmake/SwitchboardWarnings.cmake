# Warnings are errors on our own code (never on third-party headers, included as SYSTEM).
include_guard(GLOBAL)

function(switchboard_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                            -Wnon-virtual-dtor -Werror)
  # GCC 12 reports false positives from inlined standard headers (<regex>, <variant>,
  # std::function, std::string) under -O1 -fsanitize=... and -O2; silence those families.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized -Wno-restrict
                                              -Wno-stringop-overflow)
  endif()
endfunction()
