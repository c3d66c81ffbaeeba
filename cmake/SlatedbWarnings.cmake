# SPDX-License-Identifier: Apache-2.0
function(slatedb_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(EMSCRIPTEN)
    target_compile_options(${target} PRIVATE -Wno-deprecated-experimental-coroutine)
  endif()
endfunction()
