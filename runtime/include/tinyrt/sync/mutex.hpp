// tinyrt::mutex — a futex-based mutex whose waiters sleep in the kernel.
//
// Algorithm: the three-state mutex of Ulrich Drepper, "Futexes Are Tricky"
// (2011), section 6, "mutex3", with a short PAUSE spin before the first sleep.
//
// The state word (32 bits, because the futex syscall works on 32-bit words):
//   0  unlocked
//   1  locked, nobody sleeps in the kernel   -> unlock needs no system call
//   2  locked, there may be sleepers          -> unlock must wake one
// Transitions:
//   lock fast path   0 -> 1   compare_exchange
//   lock slow path   x -> 2   exchange; the thread owns the lock iff it read 0
//   unlock           1 -> 0   fetch_sub, done
//                    2 -> 1 -> 0, then futex_wake(1)
//
// lock():   1. CAS 0 -> 1; success: ours, no system call.
//           2. Spin a little (16 checks, one PAUSE apart: the owner is probably
//              running and almost done); whenever the word reads 0, retry the
//              CAS 0 -> 1. Skipped when the word already says 2.
//           3. exchange(2). Read 0: ours (the word now says 2, so our unlock
//              will make a wake-up call that may be spurious, never missing).
//           4. futex_wait(word, 2): the kernel sleeps only if the word is
//              still 2, atomically with queueing us; then go to 3.
// unlock(): 1. fetch_sub(1). It was 1: nobody sleeps, done.
//           2. It was 2: store 0, then futex_wake one sleeper.
//
// No lost wake-up: a thread goes to sleep only when the word is 2 at the
// moment the kernel queues it (step 4 is atomic in the kernel). Every unlock
// that finds 2 stores 0 and wakes a sleeper after it; a thread that would
// sleep after that store sees 0 (or a later 2 set by another waiter, whose own
// unlock will in turn wake). A woken thread always re-writes 2 (step 3), so
// while any thread may still sleep, the owner's unlock takes the waking branch.
//
// Safe to destroy right after the last unlock(): once the word reads 0 the
// unlocking thread touches it only through the wake system call, which
// tolerates a word that is gone.
//
// The class is a template on the atomics policy (detail/atomics_policy.hpp)
// so that the Relacy model in tests/model runs this code; tinyrt::mutex is
// the runtime's instance. The slow paths are in sync/detail/mutex_slow.hpp,
// compiled once for the runtime in mutex.cpp.
#pragma once

#include <atomic>
#include <cstdint>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/atomics_policy.hpp"

namespace tinyrt {

template <class Atomics>
class basic_mutex {
public:
    basic_mutex() = default;
    basic_mutex(const basic_mutex&) = delete;
    basic_mutex& operator=(const basic_mutex&) = delete;

    // Blocks until the calling thread owns the mutex; a waiter that does not
    // get it during a short spin sleeps in the kernel and uses no CPU.
    // Not recursive: locking twice from one thread deadlocks.
    void lock() noexcept {
        std::uint32_t seen = unlocked;
        if (state_.compare_exchange_strong(
                seen, locked, detail::acquire,  // pairs with the release in unlock()
                detail::relaxed))               // failure reads a value we only inspect
            return;
        lock_slow(seen);
    }

    // Takes the mutex if it is free right now; never waits.
    bool try_lock() noexcept {
        std::uint32_t seen = unlocked;
        return state_.compare_exchange_strong(
            seen, locked, detail::acquire,  // pairs with the release in unlock()
            detail::relaxed);               // failure: we take nothing, order nothing
    }

    // Releases the mutex and wakes one sleeper if there may be any. Only the
    // owner may call it.
    void unlock() noexcept {
        if (state_.fetch_sub(1, detail::release) !=
            locked)  // pairs with the acquire CAS/exchange in lock()
            unlock_slow();
    }

    // Diagnostic snapshot, for tests: 0 unlocked, 1 locked, 2 locked with
    // possible sleepers. Stale as soon as it returns.
    std::uint32_t state() const noexcept {
        return state_.load(detail::relaxed);  // a snapshot; orders nothing
    }

private:
    static constexpr std::uint32_t unlocked = 0;
    static constexpr std::uint32_t locked = 1;
    static constexpr std::uint32_t contended = 2;

    void lock_slow(std::uint32_t seen) noexcept;
    void unlock_slow() noexcept;
    // The slow paths' code, which lock_slow and unlock_slow run
    // (sync/detail/mutex_slow.hpp).
    void lock_slow_body(std::uint32_t seen) noexcept;
    void unlock_slow_body() noexcept;

    typename Atomics::template atomic<std::uint32_t> state_{unlocked};
};

using mutex = basic_mutex<detail::std_atomics>;

// The runtime's slow paths, compiled once in mutex.cpp. Explicit
// specializations rather than instantiations: ordinary functions in the
// library's text, as if basic_mutex were not a template.
template <>
void mutex::lock_slow(std::uint32_t seen) noexcept;
template <>
void mutex::unlock_slow() noexcept;

}  // namespace tinyrt
