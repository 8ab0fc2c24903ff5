// throw_system_error (system_error.hpp), out of line: the std::string work
// of std::system_error's message constructor is then compiled once, here,
// not at every error path of a program.
#include "tinyrt/detail/system_error.hpp"

#include <cstdio>
#include <cstring>
#include <system_error>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

void throw_system_error(int err, const char* what) {
#if TINYRT_EXCEPTIONS
    // what(): "<what>: <the error's message>", as the standard composes it.
    throw std::system_error(std::error_code(err, std::generic_category()), what);
#else
    char text[160];
    std::snprintf(text, sizeof text, "%s: %s", what, std::strerror(err));
    fatal(text);
#endif
}

}  // namespace tinyrt::detail
