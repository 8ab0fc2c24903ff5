#include "tinyrt/detail/config.hpp"

#include <cstdio>
#include <cstdlib>

namespace tinyrt::detail {

void fatal(const char* what) noexcept {
    std::fprintf(stderr, "tinyrt: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

#if TINYRT_EXCEPTIONS
void report_error(const char* context, const std::exception_ptr& error) noexcept {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tinyrt: %s: %s\n", context, e.what());
    } catch (...) {
        std::fprintf(stderr, "tinyrt: %s (not a std::exception)\n", context);
    }
}
#endif

}  // namespace tinyrt::detail
