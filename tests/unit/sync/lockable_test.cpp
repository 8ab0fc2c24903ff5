// Properties every tinyrt lock shares, each checked for all three: Lockable
// with the standard guards, try_lock semantics, mutual exclusion from one to
// eight threads (on a 2-core machine that is up to 4x oversubscribed).
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "lock_checks.hpp"
#include "tinyrt/sync.hpp"

#define TINYRT_LOCKS tinyrt::spinlock, tinyrt::ticket_lock, tinyrt::mutex

TEST_CASE_TEMPLATE("a lock works with lock_guard, unique_lock and scoped_lock", Lock, TINYRT_LOCKS) {
    Lock a, b;
    {
        std::lock_guard<Lock> g(a);
        CHECK_FALSE(a.try_lock());
    }
    {
        std::unique_lock<Lock> u(a);
        CHECK(u.owns_lock());
        u.unlock();
        CHECK(a.try_lock());
        a.unlock();
    }
    {
        std::scoped_lock both(a, b);  // std::lock's deadlock avoidance uses try_lock
        CHECK_FALSE(a.try_lock());
        CHECK_FALSE(b.try_lock());
    }
    CHECK(a.try_lock());
    CHECK(b.try_lock());
    a.unlock();
    b.unlock();
}

TEST_CASE_TEMPLATE("try_lock takes a free lock and refuses a held one", Lock, TINYRT_LOCKS) {
    Lock lock;
    REQUIRE(lock.try_lock());
    bool other_got_it = true;
    std::thread other([&] { other_got_it = lock.try_lock(); });  // held by us: must fail, not wait
    other.join();
    CHECK_FALSE(other_got_it);
    lock.unlock();
    std::thread again([&] {
        other_got_it = lock.try_lock();
        if (other_got_it) lock.unlock();
    });
    again.join();
    CHECK(other_got_it);
}

TEST_CASE_TEMPLATE("one thread: lock and unlock many times", Lock, TINYRT_LOCKS) {
    Lock lock;
    auto r = sync_test::hammer(lock, 1, 100000);
    CHECK(r.counter == 100000);
    CHECK(r.overlaps == 0);
    CHECK(lock.try_lock());  // left free
    lock.unlock();
}

TEST_CASE_TEMPLATE("mutual exclusion: 2 to 8 threads, exact total", Lock, TINYRT_LOCKS) {
    for (int threads : {2, 3, 4, 8}) {
        CAPTURE(threads);
        Lock lock;
        // The same total work at every thread count: with more threads than
        // cores a FIFO hand-off costs a context switch, so the ticket lock at
        // 8 threads is ~100x slower per section than at 1.
        const int increments = 40000 / threads;
        auto r = sync_test::hammer(lock, threads, increments);
        CHECK(r.counter == static_cast<long>(threads) * increments);
        CHECK(r.overlaps == 0);
        CHECK(lock.try_lock());
        lock.unlock();
    }
}

TEST_CASE_TEMPLATE("stampede: 32 threads start together", Lock, TINYRT_LOCKS) {
    Lock lock;
    sync_test::within(std::chrono::seconds(60), "stampede", [&] {
        auto r = sync_test::hammer(lock, 32, 1000);
        CHECK(r.counter == 32 * 1000);
        CHECK(r.overlaps == 0);
    });
}

TEST_CASE_TEMPLATE("try_lock under contention never lets two threads in", Lock, TINYRT_LOCKS) {
    Lock lock;
    long counter = 0;
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    std::atomic<long> taken{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t) {
        pool.emplace_back([&] {
            long mine = 0;
            for (int i = 0; i < 20000; ++i) {
                if (!lock.try_lock()) continue;
                if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
                ++counter;
                ++mine;
                inside.fetch_sub(1);
                lock.unlock();
            }
            taken.fetch_add(mine);
        });
    }
    for (auto& th : pool) th.join();
    CHECK(overlaps.load() == 0);
    CHECK(counter == taken.load());
    CHECK(counter > 0);
}

TEST_CASE_TEMPLATE("a lock may be destroyed by the thread that took it last", Lock, TINYRT_LOCKS) {
    // The last owner frees the lock right after its unlock, while the
    // previous owner may still be returning from the unlock() that handed the
    // lock over (the usual pattern for a lock inside a reference-counted
    // object). Each unlock() is written to touch no lock memory after the
    // hand-off; this checks the pattern end to end, through the sleeping
    // paths too. The window it guards is a few instructions wide, so only a
    // gross violation (say, a slow path that reads the lock after a system
    // call) is likely to show up, as an AddressSanitizer report.
    for (int round = 0; round < 500; ++round) {
        auto* lock = new Lock;
        lock->lock();
        std::thread last([lock] {
            lock->lock();
            lock->unlock();
            delete lock;
        });
        if (round % 2 == 0) std::this_thread::yield();  // sometimes let it go to sleep first
        lock->unlock();
        last.join();
    }
}
