// throw_system_error (system_error.hpp), out of line: the only place a
// program's error paths build an exception's message.
#include "tinyrt/detail/system_error.hpp"

#include <cstdio>
#include <cstring>
#include <system_error>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

namespace {

#if TINYRT_EXCEPTIONS
// A std::system_error whose what() is "<what>: <the error's message>", the
// text std::system_error(code, what) gives, written once into the exception
// with snprintf: std::string's concatenation (which that constructor inlines
// at its call site) is then not linked into every program. Callers catch it
// as std::system_error; code() is the errno in the generic category.
class system_failure final : public std::system_error {
public:
    system_failure(int err, const char* what)
        : std::system_error(std::error_code(err, std::generic_category())) {
        // runtime_error::what() is the error's message here.
        std::snprintf(text_, sizeof text_, "%s: %s", what, std::runtime_error::what());
    }
    const char* what() const noexcept override { return text_; }

private:
    char text_[160];  // truncated past that: what() stays a readable prefix
};
#endif

}  // namespace

void throw_system_error(int err, const char* what) {
#if TINYRT_EXCEPTIONS
    throw system_failure(err, what);
#else
    char text[160];
    std::snprintf(text, sizeof text, "%s: %s", what, std::strerror(err));
    fatal(text);
#endif
}

}  // namespace tinyrt::detail
