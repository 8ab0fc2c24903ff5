// The floating-point branch of saturating_ns (deadline.hpp): out of line, so
// that <cmath> stays out of the public headers.
#include "tinyrt/coro/detail/deadline.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace tinyrt::detail {

std::int64_t saturating_ns_of(long double ns) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    if (std::isnan(ns)) TINYRT_THROW(std::invalid_argument("tinyrt: a duration is NaN"));
    const long double up = std::ceil(ns);
    if (up >= static_cast<long double>(max)) return max;
    if (up <= static_cast<long double>(min)) return min;
    return static_cast<std::int64_t>(up);
}

}  // namespace tinyrt::detail
