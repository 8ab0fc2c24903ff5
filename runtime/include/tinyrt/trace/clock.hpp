// The trace clock: the cheapest per-thread monotonic tick counter.
//
// On x86-64 it is the time-stamp counter (RDTSC, about 7 ns against about
// 20 ns for steady_clock's vDSO clock_gettime; tests/bench/trace_bench.cpp
// measures both). Processors that advertise an invariant TSC (constant_tsc
// and nonstop_tsc in /proc/cpuinfo, every x86-64 since about 2008) tick it
// at one rate on every core, synchronised at reset, so it never goes back on
// a thread even when the thread migrates. The recorder converts ticks to
// nanoseconds with two (ticks, steady_clock) pairs taken at start() and at
// write time; the writers additionally clamp each track to non-decreasing
// times, so a machine without an invariant TSC yields a distorted picture,
// never an invalid file. Elsewhere the clock is steady_clock itself.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define TINYRT_TRACE_TSC 1
#else
#define TINYRT_TRACE_TSC 0
#endif

namespace tinyrt::trace {

inline std::uint64_t clock_ticks() noexcept {
#if TINYRT_TRACE_TSC
    return __rdtsc();
#else
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// A (ticks, steady_clock nanoseconds) pair taken together.
struct clock_sample {
    std::uint64_t ticks = 0;
    std::int64_t steady_ns = 0;

    static clock_sample now() noexcept;
};

// Maps ticks to nanoseconds since `origin`, by the rate between two samples.
class tick_converter {
public:
    tick_converter(clock_sample origin, clock_sample later) noexcept;
    // Nanoseconds since the origin; ticks before it give 0.
    std::uint64_t to_ns(std::uint64_t ticks) const noexcept;

private:
    std::uint64_t origin_ticks_;
    double ns_per_tick_;
};

}  // namespace tinyrt::trace
