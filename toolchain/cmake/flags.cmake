# Warning flags are PRIVATE to tinyrt's own targets (tinyrt_private_flags),
# so a program linking tinyrt::tinyrt inherits none of them;
# sanitizers apply to every target in the tree, since mixing instrumented
# and plain code gives false reports.
set(TINYRT_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(TINYRT_WERROR)
  list(APPEND TINYRT_WARNING_FLAGS -Werror)
endif()

if(TINYRT_SANITIZE)
  string(REPLACE "," ";" _tinyrt_sans "${TINYRT_SANITIZE}")
  foreach(_san IN LISTS _tinyrt_sans)
    if(NOT _san MATCHES "^(thread|address|undefined)$")
      message(FATAL_ERROR "TINYRT_SANITIZE: unknown sanitizer '${_san}' (use 'thread' or 'address,undefined')")
    endif()
  endforeach()
  add_compile_options(-fsanitize=${TINYRT_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${TINYRT_SANITIZE})
  if(TINYRT_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()

# tinyrt_private_flags(target): warnings for a target of this project only.
function(tinyrt_private_flags target)
  target_compile_options(${target} PRIVATE ${TINYRT_WARNING_FLAGS})
  if(TINYRT_NO_EXCEPTIONS)
    target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
  endif()
endfunction()
