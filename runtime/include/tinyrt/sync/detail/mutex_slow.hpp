// basic_mutex's slow paths (the algorithm is described in sync/mutex.hpp).
// Included by mutex.cpp, which compiles them for tinyrt::mutex, and by the
// Relacy model of the mutex (tests/model).
#pragma once

#include "tinyrt/detail/cpu.hpp"
#include "tinyrt/sync/mutex.hpp"

namespace tinyrt {

namespace detail {
// Checks of the word, one PAUSE apart, before the first sleep (step 2 of
// lock()): well under a microsecond. A sleep and a wake cost two system calls
// and a context switch, several microseconds, so a short critical section of
// a running owner is worth waiting out. Not longer: a spinning waiter keeps
// pulling the line away from an owner that re-locks in a loop, and the
// barging owner is faster alone. bench_locks (2 cores), spin limit 0 / 16 /
// 100: 16 stayed at or below std::mutex in every row of two rounds at 2, 4
// and 8 threads; 0 and 100 each missed once.
inline constexpr int mutex_spin_limit = 16;
}  // namespace detail

template <class Atomics>
void basic_mutex<Atomics>::lock_slow(std::uint32_t seen) noexcept {
    lock_slow_body(seen);
}

template <class Atomics>
void basic_mutex<Atomics>::unlock_slow() noexcept {
    unlock_slow_body();
}

template <class Atomics>
inline void basic_mutex<Atomics>::lock_slow_body(std::uint32_t seen) noexcept {
    // Step 2: spin while the owner runs. Skip it when sleepers are already
    // queued: the lock is contended and will be handed around for a while.
    for (int i = 0; i < detail::mutex_spin_limit && seen != contended; ++i) {
        detail::cpu_relax();
        seen = state_.load(detail::relaxed);  // a peek; the CAS below does the acquire
        if (seen == unlocked) {
            if (state_.compare_exchange_weak(seen, locked,
                                             detail::acquire,  // pairs with the release in unlock()
                                             detail::relaxed))  // failure only refreshes `seen`
                return;
        }
    }
    // Steps 3 and 4: announce a possible sleeper, sleep while the word says so.
    if (seen != contended)
        seen = state_.exchange(contended, detail::acquire);  // pairs with the release in unlock()
    while (seen != unlocked) {
        Atomics::futex_wait(state_, contended);
        seen = state_.exchange(contended, detail::acquire);  // pairs with the release in unlock()
    }
}

template <class Atomics>
inline void basic_mutex<Atomics>::unlock_slow_body() noexcept {
    // The word was 2 and is now 1. A locker may write 2 over that 1 before
    // our store (it saw the mutex held and goes to sleep); overwriting it with
    // 0 is Drepper's design and loses nothing: that locker either finds 0
    // when the kernel checks the word, or is queued and gets our wake, and in
    // both cases it retries with exchange(2), which restores the mark.
    state_.store(unlocked, detail::release);  // pairs with the acquire exchange/CAS in lock()
    Atomics::futex_wake(state_, 1);
}

}  // namespace tinyrt
