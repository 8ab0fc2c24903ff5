// Bounded exponential backoff for spin loops: pause, pause longer, yield the
// core briefly, then sleep for growing short intervals.
//
// Why bounded: on a machine with fewer cores than runnable threads, the thread
// we are waiting for may not be running at all. Spinning longer cannot help
// then; only giving the core away lets it run. Why exponential first: while
// the owner *is* running on another core, the wait is usually shorter than a
// system call, and backing off keeps the waiters from hammering the lock's
// cache line (every failed read-modify-write steals the line from the owner).
//
// Why only two yields, then sleeps: on Linux's EEVDF scheduler (6.6 and
// later) every sched_yield pushes the caller's virtual deadline one time slice
// later. A waiter that yields in a loop thousands of times ends up behind
// every other thread for hundreds of milliseconds: measured here, such a
// waiter got no turn at all in a 200 ms run. A short sleep instead takes the
// thread off the run queue and, when it wakes, it is placed fairly again.
#pragma once

#include <cstdint>
#include <ctime>

#include "tinyrt/detail/cpu.hpp"
#include "tinyrt/detail/os_thread.hpp"

namespace tinyrt::detail {

class backoff {
public:
    // 2^0 + 2^1 + ... + 2^6 = 127 PAUSEs in the spinning phase: a few
    // microseconds (PAUSE takes ~5-40 ns depending on the CPU and on whether
    // a hypervisor traps it), about the cost of a trip through the scheduler.
    static constexpr unsigned spin_rounds = 7;
    static constexpr unsigned yield_rounds = 2;
    // Sleeps double from 1 us up to 64 us: long enough to leave the core to
    // the owner, short enough that a released lock is noticed soon.
    static constexpr unsigned max_sleep_shift = 6;

    // One step of waiting.
    void pause() noexcept {
        if (step_ < spin_rounds) {
            for (std::uint32_t i = 0, n = 1u << step_; i < n; ++i) cpu_relax();
        } else if (step_ < spin_rounds + yield_rounds) {
            yield_thread();
        } else {
            const unsigned shift = step_ - spin_rounds - yield_rounds;
            const long micros = 1L << (shift < max_sleep_shift ? shift : max_sleep_shift);
            timespec ts{0, micros * 1000};
            ::nanosleep(&ts, nullptr);  // EINTR just ends this step early
        }
        if (step_ < spin_rounds + yield_rounds + max_sleep_shift) ++step_;
    }

    // True once pause() has stopped spinning: the caller has waited "long".
    bool spun_out() const noexcept { return step_ >= spin_rounds; }

    void reset() noexcept { step_ = 0; }

private:
    unsigned step_ = 0;
};

}  // namespace tinyrt::detail
