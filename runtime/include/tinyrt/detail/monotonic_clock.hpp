// The monotonic clock in nanoseconds: CLOCK_MONOTONIC, the clock of
// std::chrono::steady_clock, read with clock_gettime itself (the vDSO: no
// system call). The pool's linger and the event loop's timers share it, so a
// program with both imports one clock function, not libstdc++'s
// steady_clock::now as well (README, "Footprint").
#pragma once

#include <time.h>

#include <cstdint>

namespace tinyrt::detail {

inline std::int64_t monotonic_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace tinyrt::detail
