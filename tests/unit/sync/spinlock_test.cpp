// tinyrt::spinlock: the lock word, and progress for a waiter against a
// thread that re-takes the lock in a tight loop.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "lock_checks.hpp"
#include "tinyrt/sync/spinlock.hpp"

TEST_CASE("is_locked follows lock and unlock") {
    tinyrt::spinlock s;
    CHECK_FALSE(s.is_locked());
    s.lock();
    CHECK(s.is_locked());
    s.unlock();
    CHECK_FALSE(s.is_locked());
}

TEST_CASE("the lock word has a cache line to itself") {
    CHECK(alignof(tinyrt::spinlock) >= 64);
    CHECK(sizeof(tinyrt::spinlock) >= 64);
}

TEST_CASE("a waiter gets in while another thread re-takes the lock in a loop") {
    sync_test::within(std::chrono::seconds(60), "waiter starved", [&] {
        tinyrt::spinlock s;
        std::atomic<bool> done{false};
        std::atomic<bool> hog_running{false};
        long hog_rounds = 0;
        std::thread hog([&] {
            hog_running.store(true);
            while (!done.load()) {
                std::lock_guard<tinyrt::spinlock> g(s);
                ++hog_rounds;
            }
        });
        while (!hog_running.load()) std::this_thread::yield();
        for (int i = 0; i < 100; ++i) {  // a hundred separate waits against the hog
            std::lock_guard<tinyrt::spinlock> g(s);
        }
        done.store(true);
        hog.join();
        CHECK(hog_rounds > 0);
    });
}
