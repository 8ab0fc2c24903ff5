// ticket_lock: strict FIFO order of acquisition, and the sleeping waiters far
// back in the queue are woken in turn.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "lock_checks.hpp"
#include "tinyrt/sync/ticket_lock.hpp"

namespace {

// Waits until `lock` has `length` tickets outstanding (owner + waiters).
void wait_for_queue(const tinyrt::ticket_lock& lock, std::uint32_t length) {
    while (lock.queue_length() != length) std::this_thread::yield();
}

}  // namespace

TEST_CASE("queue_length counts the owner and the waiters") {
    tinyrt::ticket_lock lock;
    CHECK(lock.queue_length() == 0);
    lock.lock();
    CHECK(lock.queue_length() == 1);
    std::thread waiter([&] {
        lock.lock();
        lock.unlock();
    });
    wait_for_queue(lock, 2);
    lock.unlock();
    waiter.join();
    CHECK(lock.queue_length() == 0);
}

TEST_CASE("threads get the lock in the order they asked for it") {
    // Main holds the lock; thread k starts only after thread k-1 has taken its
    // ticket, so the ticket order is 0, 1, 2, ... The acquisition order must
    // be the same. Eight waiters: most of them go to sleep (far from the
    // front), so the hand-offs also cross the sleep/wake path.
    const int waiters = 8;
    sync_test::within(std::chrono::seconds(60), "FIFO order", [&] {
        CHECK(sync_test::ticket_entry_order(waiters) == sync_test::in_order(waiters));
    });
}

TEST_CASE("FIFO holds round after round with sleepers sharing slots") {
    // 20 waiters > 8 sleep slots, so some share a slot and get woken for
    // nothing; they must go back to sleep and still keep their turn.
    const int waiters = 20;
    sync_test::within(std::chrono::seconds(60), "FIFO rounds", [&] {
        for (int round = 0; round < 3; ++round)
            CHECK(sync_test::ticket_entry_order(waiters) == sync_test::in_order(waiters));
    });
}
