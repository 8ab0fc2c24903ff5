// tinyrt::ticket_lock — a FIFO-fair lock: threads get it in the order they
// asked for it.
//
// Algorithm: the ticket lock of Mellor-Crummey & Scott, "Algorithms for
// Scalable Synchronization on Shared-Memory Multiprocessors" (ACM TOCS 1991,
// section 2.2), with their proportional backoff taken one step further: only
// the two threads nearest the front stay awake; the others sleep in the kernel.
//
//   next_     the next ticket to hand out     (taken with fetch_add)
//   serving_  the ticket that owns the lock    (written only by the owner)
//   distance  = my ticket - serving_: 0 owner, 1 next in line, 2 after it...
//
// lock():   1. ticket = next_.fetch_add(1). serving_ == ticket: ours.
//           2. distance 1 or 2 (awake_distance): spin with PAUSE and backoff,
//              then yield the core (the owner may be preempted, and spinning
//              cannot run it).
//           3. distance >= 3: sleep on the futex word of our slot,
//              slots_[ticket % slot_count], until the unlock that brings us
//              within awake_distance wakes it; then go to 2.
// unlock(): 1. serving_ = serving_ + 1 (seq_cst).
//           2. If the slot of ticket serving_ + awake_distance (the thread that
//              just came within reach) has sleepers: bump its word and wake
//              them all.
//
// Why not everyone spins: with more threads than cores, the FIFO hand-off goes
// to a thread that may not be running, and a textbook ticket lock then waits a
// whole time slice per critical section (measured: over 15 us at 4 threads on
// 2 cores). Sleeping threads leave the cores to the owner and the next in line.
//
// FIFO: the lock is granted in ticket order, because serving_ only ever goes
// up by one and only the thread holding ticket serving_ may enter.
//
// No lost wake-up (step 3 against unlock step 2), a Dekker pattern:
//   sleeper: read slot word w (acquire); sleepers += 1 (seq_cst);
//            read serving_ (seq_cst); still far back -> futex_wait(word, w)
//   unlock:  write serving_ (seq_cst); read sleepers (seq_cst); > 0 -> bump
//            word (release), futex_wake
// In the single total order of seq_cst operations either the unlock's read of
// sleepers comes after the sleeper's increment (the unlock wakes it, and the
// kernel's own check of the word makes a wake between check and sleep
// impossible to miss), or the sleeper's read of serving_ comes after the
// unlock's write (it sees it is near the front and does not sleep). If the sleeper read
// an already-bumped word, the acquire on it makes the new serving_ visible.
// Slots are shared by tickets that are slot_count apart: such a waiter wakes
// for nothing, finds itself still far back, and sleeps again.
#pragma once

#include <atomic>
#include <cstdint>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/cache.hpp"

namespace tinyrt {

class ticket_lock {
public:
    ticket_lock() = default;
    ticket_lock(const ticket_lock&) = delete;
    ticket_lock& operator=(const ticket_lock&) = delete;

    // Takes a ticket and waits for its turn; turns come strictly in ticket
    // order. Not recursive: locking twice from one thread deadlocks.
    void lock() noexcept {
        const std::uint32_t ticket = next_.fetch_add(1, detail::relaxed);  // only the order matters; data comes via serving_
        if (serving_.load(detail::acquire) == ticket) return;  // pairs with the seq_cst store in unlock()
        lock_slow(ticket);
    }

    // Takes the lock only if it is free and nobody waits; never waits itself.
    bool try_lock() noexcept {
        std::uint32_t serving = serving_.load(detail::acquire);  // pairs with the seq_cst store in unlock()
        std::uint32_t expected = serving;
        // Taking ticket `serving` is possible only if no one holds a ticket
        // beyond it; the acquire above already ordered us after the last owner.
        return next_.compare_exchange_strong(expected, serving + 1, detail::relaxed,  // see above
                                             detail::relaxed);  // failure takes nothing
    }

    // Hands the lock to the next ticket. Only the owner may call it.
    void unlock() noexcept {
        const std::uint32_t now = serving_.load(detail::relaxed) + 1;  // only the owner writes serving_
        serving_.store(now);  // seq_cst: the Dekker pair with a sleeper (see the top of this file)
        slot& coming_near = slots_[(now + awake_distance) % slot_count];
        if (coming_near.sleepers.load() != 0) wake(coming_near);  // seq_cst: same Dekker pair
    }

    // Diagnostic snapshot, for tests: tickets handed out and not yet
    // finished, i.e. the owner plus the waiters (0 when free). Stale as soon
    // as it returns; never use it to decide who may enter.
    std::uint32_t queue_length() const noexcept {
        const std::uint32_t serving = serving_.load(detail::relaxed);  // a snapshot; orders nothing
        return next_.load(detail::relaxed) - serving;  // a snapshot; orders nothing
    }

private:
    // A waiter far back in the queue sleeps on its slot's word.
    struct slot {
        std::atomic<std::uint32_t> word{0};      // futex word, bumped to wake
        std::atomic<std::uint32_t> sleepers{0};  // threads that may sleep on `word`
    };
    static constexpr std::uint32_t slot_count = 16;
    // Waiters this close to the front stay awake. 2, not 1: the thread that
    // becomes next in line is then already running (or runnable) when its
    // turn comes, so the kernel's wake-up latency overlaps the critical
    // sections ahead of it instead of adding to each hand-off (measured:
    // 2-3x faster hand-offs than waking only the next in line).
    static constexpr std::uint32_t awake_distance = 2;

    void lock_slow(std::uint32_t ticket) noexcept;
    static void wake(slot& s) noexcept;

    // Tickets are taken by arriving threads, serving_ is read by every
    // waiter: separate lines, so arrivals do not disturb the spinning waiter.
    alignas(detail::cache_line) std::atomic<std::uint32_t> next_{0};
    alignas(detail::cache_line) std::atomic<std::uint32_t> serving_{0};
    alignas(detail::cache_line) slot slots_[slot_count];
};

}  // namespace tinyrt
