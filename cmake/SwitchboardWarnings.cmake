# Warnings are errors on our own code (never on third-party headers, included as SYSTEM).
include_guard(GLOBAL)

function(switchboard_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                            -Wnon-virtual-dtor -Werror)
endfunction()
