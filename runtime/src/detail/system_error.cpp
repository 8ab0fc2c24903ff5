// throw_system_error (system_error.hpp). The standard constructor that takes
// a message concatenates std::strings inline, more code than every other
// error path of a small program together; this one formats into a fixed
// buffer once, in one place.
#include "tinyrt/detail/system_error.hpp"

#include <cstdio>
#include <cstring>
#include <system_error>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

namespace {

// A std::system_error whose what() is formatted into the object itself.
class resource_error final : public std::system_error {
public:
    resource_error(int err, const char* what)
        : std::system_error(std::error_code(err, std::generic_category())) {
        std::snprintf(text_, sizeof text_, "%s: %s", what, std::strerror(err));
    }
    const char* what() const noexcept override { return text_; }

private:
    char text_[160];
};

}  // namespace

void throw_system_error(int err, const char* what) {
#if TINYRT_EXCEPTIONS
    throw resource_error(err, what);
#else
    char text[160];
    std::snprintf(text, sizeof text, "%s: %s", what, std::strerror(err));
    fatal(text);
#endif
}

}  // namespace tinyrt::detail
