#include "tinyrt/sync/ticket_lock.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "tinyrt/detail/backoff.hpp"

namespace tinyrt {

namespace {

// The bitset variants of the futex calls: a waiter sleeps with a mask, and a
// wake reaches only sleepers whose mask intersects its own. That lets all
// waiters share one futex word (serving_) while each unlock wakes only the
// slot it means to. detail/futex.hpp has the plain pair; these two live here,
// next to their only user.
void futex_wait_bitset(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                       std::uint32_t mask) noexcept {
    // EAGAIN (the word changed) and EINTR both mean "re-check", as for futex_wait.
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word),
              FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, nullptr, nullptr, mask);
}

void futex_wake_bitset(std::atomic<std::uint32_t>& word, std::uint32_t mask) noexcept {
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word),
              FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, INT_MAX, nullptr, nullptr, mask);
}

// Checks the next in line makes, one PAUSE apart, before it goes to sleep: the
// hand-off it waits for is one store away, and any backoff delay would add to
// the hand-off itself. A few microseconds (PAUSE takes ~5-40 ns, more under a
// hypervisor that traps it).
constexpr int next_in_line_checks = 256;

// Yields a waiter further back makes before it sleeps. With more threads than
// cores, the owner that just unlocked takes a ticket at the back at once; if
// it went straight to sleep, its core would often fall idle before the thread
// woken to be next in line got there, and waking an idle core costs far more
// than switching to a runnable thread (bench_locks at 8 threads on 2 cores:
// cores busy 1.4 of 2 without the yields, 1.9 with them, and 6x the
// throughput). Few, because on EEVDF each yield pushes the thread back a
// slice (detail/backoff.hpp): a handful keeps the core busy across the
// hand-off, and then the thread leaves the run queue.
constexpr int far_yields = 4;
}  // namespace

void ticket_lock::lock_slow(std::uint32_t ticket) noexcept {
    detail::backoff wait;  // only its spinning phase is used
    int checks = 0;
    int yields = 0;
    const std::uint32_t flag = flag_of(ticket);
    for (;;) {
        std::uint32_t seen =
            serving_.load(detail::acquire);  // pairs with the release CAS in unlock()
        const std::uint32_t distance = (ticket - seen) & ticket_mask;
        if (distance == 0) return;
        // Step 2: next in line, watch the word closely for a few
        // microseconds. Only our own turn can change the distance now.
        if (distance == 1 && checks < next_in_line_checks) {
            while (checks < next_in_line_checks) {
                ++checks;
                detail::cpu_relax();
                if ((serving_.load(detail::acquire) & ticket_mask) == ticket)
                    return;  // pairs with the release CAS in unlock()
            }
            continue;
        }
        // Then (or at distance 2) with exponential backoff for a few more.
        if (distance <= 2 && !wait.spun_out()) {
            wait.pause();
            continue;
        }
        // Step 3: further back, give the core away a few times first.
        if (distance > 2 && yields < far_yields) {
            ++yields;
            detail::yield_thread();
            continue;
        }
        // Step 4: raise our slot's flag, then sleep while the word still says
        // exactly what we saw.
        if ((seen & flag) == 0) {
            if (!serving_.compare_exchange_weak(
                    seen, seen | flag, detail::relaxed,  // one word: the kernel re-checks it
                    detail::relaxed))                    // the word moved on: look again
                continue;
            seen |= flag;
        }
        futex_wait_bitset(serving_, seen, flag >> ticket_bits);
        checks = 0;
        yields = 0;
        wait.reset();
    }
}

void ticket_lock::wake(std::uint32_t flags) noexcept {
    // Every sleeper of those slots: several tickets may share a slot.
    futex_wake_bitset(serving_, flags >> ticket_bits);
}

}  // namespace tinyrt
