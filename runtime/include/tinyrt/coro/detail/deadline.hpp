// Durations and deadlines as the loop's int64 nanoseconds, saturated.
//
// Every duration the runtime takes (sleep_for, sleep_until, wait_for) goes
// through here. A std::chrono value can hold far more than 2^63 ns
// (seconds::max() is about 292 billion years of seconds; a thousand years
// is 3.2e19 ns), and converting it with duration_cast or adding it to the
// clock would overflow: signed overflow is undefined and in practice wraps
// to a deadline in the past, so "wait forever" would return at once.
// Instead:
//   * a duration longer than the int64 range becomes `never`, and so does
//     a deadline that now + duration would push past it;
//   * `never` (INT64_MAX ns, ~292 years of uptime) is a deadline the steady
//     clock does not reach: a timer set for it stays queued (it can still
//     be cancelled) and never fires;
//   * negative durations clamp to zero, and a NaN duration is bad input
//     (std::invalid_argument, or a message without exceptions).
// Rounding is up (ceil) everywhere: waking before the deadline is the one
// thing a sleep must not do.
#pragma once

#include <cstdint>
#include <limits>
#include <ratio>
#include <type_traits>

#include "tinyrt/detail/chrono.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

inline constexpr std::int64_t never_ns = std::numeric_limits<std::int64_t>::max();

// saturating_ns of a floating-point count of nanoseconds (deadline.cpp):
// rounded up, saturated; a NaN is bad input (std::invalid_argument).
std::int64_t saturating_ns_of(long double ns);

// `d` in nanoseconds, rounded up, saturated to the int64 range.
template <typename Rep, typename Period>
std::int64_t saturating_ns(std::chrono::duration<Rep, Period> d) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    using per_tick = std::ratio_divide<Period, std::nano>;  // ns per tick: num / den
    if constexpr (std::is_floating_point_v<Rep>) {
        return saturating_ns_of(static_cast<long double>(d.count()) * per_tick::num /
                                per_tick::den);
    } else {
        static_assert(sizeof(Rep) <= sizeof(std::int64_t), "durations wider than 64 bits");
        if constexpr (std::is_unsigned_v<Rep>) {
            if (d.count() > static_cast<std::uint64_t>(max)) return max;
        }
        const auto ticks = static_cast<std::int64_t>(d.count());
        if (ticks > max / per_tick::num) return max;
        if (ticks < min / per_tick::num) return min;
        const std::int64_t scaled = ticks * per_tick::num;  // cannot overflow: checked above
        std::int64_t ns = scaled / per_tick::den;           // truncates toward zero
        if (scaled % per_tick::den > 0) ++ns;               // ceil for positive remainders
        return ns;
    }
}

// A relative wait in nanoseconds: `d` rounded up, at least 0, at most never.
template <typename Rep, typename Period>
std::int64_t wait_ns(std::chrono::duration<Rep, Period> d) {
    const std::int64_t ns = saturating_ns(d);
    return ns > 0 ? ns : 0;
}

// now + wait_ns, or never if the sum passes the int64 range.
inline std::int64_t deadline_after(std::int64_t now_ns, std::int64_t wait_ns) noexcept {
    return wait_ns >= never_ns - now_ns ? never_ns : now_ns + wait_ns;
}

}  // namespace tinyrt::detail
