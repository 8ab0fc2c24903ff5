// Stress for the three locks: larger and longer than the unit tests, sized by
// TINYRT_STRESS_SCALE (default 1). Invariants: no two threads inside at once,
// no increment lost, the ticket lock serves tickets in order, and every
// thread finishes (no lost wake-up, no thread stuck forever).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "tinyrt/sync.hpp"
#include "unit/sync/lock_checks.hpp"

namespace {

long stress_scale() {
    const char* text = std::getenv("TINYRT_STRESS_SCALE");
    const long scale = text != nullptr ? std::atol(text) : 1;
    return scale > 0 ? scale : 1;
}

// Threads mix lock() and try_lock(), hold the lock for a varying moment, and
// sometimes yield inside it (so waiters pile up and, for the sleeping locks,
// go to sleep).
template <typename Lock>
void mixed_load(int threads, long rounds) {
    Lock lock;
    long counter = 0;
    std::atomic<int> inside{0};
    std::atomic<long> overlaps{0};
    std::atomic<long> done{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            long mine = 0;
            for (long i = 0; i < rounds; ++i) {
                const bool tried = (i + t) % 7 == 0;
                if (tried) {
                    if (!lock.try_lock()) continue;
                } else {
                    lock.lock();
                }
                if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
                ++counter;
                ++mine;
                if (i % 64 == 0) std::this_thread::yield();  // a preempted owner, on purpose
                inside.fetch_sub(1);
                lock.unlock();
            }
            done.fetch_add(mine);
        });
    }
    for (auto& th : pool) th.join();
    CHECK(overlaps.load() == 0);
    CHECK(counter == done.load());
}

}  // namespace

TEST_CASE_TEMPLATE("stress: mixed lock/try_lock with preempted owners", Lock, tinyrt::spinlock,
                   tinyrt::ticket_lock, tinyrt::mutex) {
    const long rounds = 5000 * stress_scale();
    for (int threads : {2, 4, 8, 16}) {
        CAPTURE(threads);
        mixed_load<Lock>(threads, rounds);
    }
}

TEST_CASE("stress: ticket_lock grants in ticket order, round after round") {
    // Main holds the lock while waiters queue up one at a time (each waits
    // until the previous one holds a ticket), so ticket order is known; after
    // the release the recorded order of entry must be exactly that order.
    const int waiters = 24;  // more than the 8 sleep slots: slots are shared
    const long rounds = 10 * stress_scale();
    for (long round = 0; round < rounds; ++round)
        CHECK(sync_test::ticket_entry_order(waiters) == sync_test::in_order(waiters));
}
