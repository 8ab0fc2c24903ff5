// tinyrt::ticket_lock — a FIFO-fair lock: threads get it in the order they
// asked for it.
//
// Algorithm: the ticket lock of Mellor-Crummey & Scott, "Algorithms for
// Scalable Synchronization on Shared-Memory Multiprocessors" (ACM TOCS 1991,
// section 2.2), with their proportional backoff taken one step further: only
// the threads nearest the front spin, briefly; every other waiter sleeps in
// the kernel and is woken when it becomes next in line, so that it is
// already running when the lock is handed to it.
//
//   next_     the next ticket to hand out (fetch_add; only the low 24 bits count)
//   serving_  one 32-bit word, the futex word too:
//               bits 0..23   the ticket that owns the lock (written by the owner)
//               bits 24..31  sleep flags: bit 24 + k set = some thread whose
//                            ticket % 8 == k may be asleep in the kernel
//   distance  = (my ticket - serving) mod 2^24: 0 owner, 1 next in line, ...
//
// lock():   1. ticket = next_.fetch_add(1). serving == ticket: ours.
//           2. distance 1: watch serving_ closely (one PAUSE per check) for a
//              few microseconds, then with exponential backoff for a few
//              more. distance 2: spin with exponential backoff for a few
//              microseconds.
//           3. distance >= 3: yield the core a few times (see 'Why' below).
//           4. Spun or yielded out: CAS our slot's flag into serving_, then
//              futex_wait(serving_, the value we wrote, bitset = our slot):
//              the kernel sleeps only if the word is still exactly that
//              value. Woken (or the word changed): go to 2 with a fresh budget.
// unlock(): 1. One CAS: serving + 1, and clear the flags of two slots: the new
//              owner's, and the next in line's (serving + 1 + awake_distance),
//              which then spins on another core while the new owner works.
//           2. If either flag was set: one futex_wake(serving_, all, bitset =
//              those slots).
//
// Why waiters sleep instead of spinning or yielding: with more threads than
// cores, the FIFO hand-off goes to a thread that may not be running, and a
// textbook ticket lock then waits a whole time slice per critical section
// (measured: over 15 us at 4 threads on 2 cores). Yielding is no cure on
// Linux's EEVDF scheduler, where each sched_yield pushes the yielder a time
// slice further back (see detail/backoff.hpp). Sleeping threads leave the
// cores to the owner and to the next in line, and the wake-up of the next in
// line overlaps the critical section ahead of it. Waking it only when it is
// already the owner would put the kernel's whole wake-up latency (several
// microseconds with more threads than cores) into every hand-off. The few
// yields before sleeping keep a core from falling idle in the moment between
// the unlocking thread queueing again at the back and the woken thread
// arriving: a runnable thread is a cheap switch, an idle core a slow wake-up.
//
// FIFO: the lock is granted in ticket order, because serving only ever goes up
// by one and only the thread holding ticket `serving` may enter.
//
// No lost wake-up: everything happens on the one word serving_.
//   - A thread sleeps only if serving_ still holds the value it saw, with its
//     flag set (the kernel checks that atomically with queueing it). Every
//     unlock changes the word, so an unlock that slips in before it sleeps
//     makes the wait return at once.
//   - While a thread sleeps its flag stays set: only an unlock clears a flag,
//     and that unlock wakes every sleeper of the slot (who re-check, and set
//     the flag again if they still have to wait).
//   - The unlock that makes ticket t the owner checks exactly slot t % 8,
//     finds the flag and wakes it. (So does the one that makes t next in
//     line, to let it start spinning early.)
// Safe to destroy right after the last unlock(): after the CAS that hands the
// lock over, unlock() touches the word only through the wake system call,
// which tolerates a word that is gone (as glibc's mutex does); no user-space
// read or write of the lock follows the hand-off.
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
        const std::uint32_t ticket =
            next_.fetch_add(1, detail::relaxed) &
            ticket_mask;  // only the order matters; data comes via serving_
        if ((serving_.load(detail::acquire) & ticket_mask) == ticket)
            return;  // pairs with the release CAS in unlock()
        lock_slow(ticket);
    }

    // Takes the lock only if it is free and nobody waits; never waits itself.
    bool try_lock() noexcept {
        const std::uint32_t serving =
            serving_.load(detail::acquire) & ticket_mask;  // pairs with the release CAS in unlock()
        std::uint32_t next = next_.load(detail::relaxed);  // re-checked by the CAS below
        if ((next & ticket_mask) != serving) return false;
        // Taking ticket `serving` succeeds only if nobody took it meanwhile;
        // the acquire load above already ordered us after the last owner.
        return next_.compare_exchange_strong(next, next + 1, detail::relaxed,  // see above
                                             detail::relaxed);  // failure takes nothing
    }

    // Hands the lock to the next ticket. Only the owner may call it.
    void unlock() noexcept {
        std::uint32_t seen = serving_.load(detail::relaxed);  // the CAS below re-checks it
        std::uint32_t woken = 0;
        for (;;) {
            const std::uint32_t serving = ((seen & ticket_mask) + 1) & ticket_mask;
            woken = seen & (flag_of(serving) | flag_of(serving + awake_distance));
            const std::uint32_t next_word = serving | (seen & ~ticket_mask & ~woken);
            if (serving_.compare_exchange_weak(
                    seen, next_word, detail::release,  // pairs with the acquire loads in lock()
                    detail::relaxed))                  // a sleeper set a flag: retry with its value
                break;
        }
        if (woken != 0) wake(woken);
    }

    // Diagnostic snapshot, for tests: tickets handed out and not yet
    // finished, i.e. the owner plus the waiters (0 when free). Stale as soon
    // as it returns; never use it to decide who may enter.
    std::uint32_t queue_length() const noexcept {
        const std::uint32_t serving = serving_.load(detail::relaxed);  // a snapshot; orders nothing
        return (next_.load(detail::relaxed) - serving) & ticket_mask;  // a snapshot; orders nothing
    }

private:
    static constexpr std::uint32_t ticket_bits = 24;
    static constexpr std::uint32_t ticket_mask = (1u << ticket_bits) - 1;
    static constexpr std::uint32_t slot_count = 32 - ticket_bits;  // 8 sleep flags
    // The thread this far behind the new owner is woken with it, to spin:
    // the next in line. It is then already running (or runnable) when its
    // turn comes, so the kernel's wake-up latency overlaps the critical
    // section ahead of it instead of adding to each hand-off.
    static constexpr std::uint32_t awake_distance = 1;

    // The sleep flag of a ticket's slot, as a bit of serving_.
    static constexpr std::uint32_t flag_of(std::uint32_t ticket) noexcept {
        return 1u << (ticket_bits + ticket % slot_count);
    }

    void lock_slow(std::uint32_t ticket) noexcept;
    void wake(std::uint32_t flags) noexcept;

    // Tickets are taken by arriving threads, serving_ is read by every
    // waiter: separate lines, so arrivals do not disturb the spinning waiter.
    alignas(detail::cache_line) detail::atomic<std::uint32_t> next_{0};
    alignas(detail::cache_line) detail::atomic<std::uint32_t> serving_{0};
};

}  // namespace tinyrt
