// tinyrt::spinlock — a test-and-test-and-set (TTAS) lock on its own cache line.
//
// Algorithm: Rudolph & Segall's test-and-test-and-set (ISCA 1984), with the
// bounded exponential backoff of Anderson ("The Performance of Spin Lock
// Alternatives for Shared-Memory Multiprocessors", IEEE TPDS 1990), then two
// yields of the core, then short sleeps (detail/backoff.hpp).
//
//   lock():   1. exchange(true, acquire); got false -> the lock is ours.
//             2. otherwise spin on a plain load (the line stays shared in our
//                cache, so waiting costs the owner nothing), backing off
//                exponentially with PAUSE, then giving the core away: two
//                yields, then sleeps of 1, 2, 4 ... 64 us;
//             3. when the load sees false, go to 1.
//   unlock(): store(false, release).
//
// Correctness: the lock is held exactly while `locked_` is true; only an
// exchange that returns false sets it, and exchanges on one object are totally
// ordered, so two threads can never both read false. The release store in
// unlock() and the acquire exchange that reads its false value make the whole
// critical section happen-before the next one.
//
// Fairness with more threads than cores: a waiter that has spun out gives
// its core away, so a preempted owner gets to run and finish. It yields only
// twice, then sleeps: on Linux's EEVDF scheduler each sched_yield pushes the
// yielder a time slice further back, and a waiter that yielded in a loop (the
// textbook "then yield") was measured here getting no turn at all for most of
// a 200 ms run. A sleeper is re-placed fairly when it wakes. A "starving" mode
// that made the others stand back for a long waiter was also tried and
// measured worse (the lock then waits for a thread that is not running:
// shares down to 0.02 and 3-5x slower), so it is not here.
//
// Use it for very short critical sections between threads that are running.
// For anything that may wait long, tinyrt::mutex sleeps instead of spinning.
#pragma once

#include <atomic>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/cache.hpp"

namespace tinyrt {

class spinlock {
public:
    spinlock() = default;
    spinlock(const spinlock&) = delete;
    spinlock& operator=(const spinlock&) = delete;

    // Blocks (spinning, then yielding) until the calling thread owns the lock.
    // Not recursive: locking twice from one thread deadlocks.
    void lock() noexcept {
        if (!locked_.exchange(true, detail::acquire)) return;  // pairs with the release store in unlock()
        lock_slow();
    }

    // Takes the lock if it is free right now; never waits.
    bool try_lock() noexcept {
        // Test before test-and-set: a failed exchange would still pull the
        // line away from the owner in exclusive state.
        return !locked_.load(detail::relaxed) &&     // a hint only; the exchange decides
               !locked_.exchange(true, detail::acquire);  // pairs with the release store in unlock()
    }

    // Releases the lock. Only the owner may call it.
    void unlock() noexcept {
        locked_.store(false, detail::release);  // pairs with the acquire exchange in lock()/try_lock()
    }

    // Diagnostic snapshot, for tests and benchmarks: is it held right now?
    bool is_locked() const noexcept {
        return locked_.load(detail::relaxed);  // a snapshot; orders nothing
    }

private:
    void lock_slow() noexcept;

    // The lock word alone on its line (the alignment rounds sizeof up to a
    // whole line): waiters read it in a loop, and a line shared with other
    // data would be invalidated by every write to that data.
    alignas(detail::cache_line) detail::atomic<bool> locked_{false};
};

}  // namespace tinyrt
