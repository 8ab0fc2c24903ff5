#include "tinyrt/detail/config.hpp"

#include <cstdio>
#include <cstdlib>

namespace tinyrt::detail {

void fatal(const char* what) noexcept {
    std::fprintf(stderr, "tinyrt: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

}  // namespace tinyrt::detail
