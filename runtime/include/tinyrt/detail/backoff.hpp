// Bounded exponential backoff for spin loops: pause, pause longer, then give
// the core away.
//
// Why bounded: on a machine with fewer cores than runnable threads, the thread
// we are waiting for may not be running at all. Spinning longer cannot help
// then; only yielding the core lets it run. Why exponential first: while the
// owner *is* running on another core, the wait is usually shorter than a
// system call, and backing off keeps the waiters from hammering the lock's
// cache line (every failed read-modify-write steals the line from the owner).
#pragma once

#include <cstdint>
#include <thread>

#include "tinyrt/detail/cpu.hpp"

namespace tinyrt::detail {

class backoff {
public:
    // 2^0 + 2^1 + ... + 2^6 = 127 PAUSEs at most before the first yield:
    // a few microseconds on current x86 cores (PAUSE is ~40-140 cycles), about
    // the cost of one round trip through the scheduler.
    static constexpr unsigned spin_rounds = 7;

    // One step of waiting: 2^step PAUSEs while spinning, sched_yield after.
    void pause() noexcept {
        if (step_ < spin_rounds) {
            for (std::uint32_t i = 0, n = 1u << step_; i < n; ++i) cpu_relax();
            ++step_;
        } else {
            std::this_thread::yield();
            ++yields_;
        }
    }

    // True once pause() has started yielding: the caller has waited "long".
    bool exhausted() const noexcept { return step_ >= spin_rounds; }
    // How many times pause() yielded the core so far.
    std::uint32_t yields() const noexcept { return yields_; }

    void reset() noexcept {
        step_ = 0;
        yields_ = 0;
    }

private:
    unsigned step_ = 0;
    std::uint32_t yields_ = 0;
};

}  // namespace tinyrt::detail
