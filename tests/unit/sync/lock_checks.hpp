// Checks shared by the lock tests: run a body under a time limit, and hammer
// a lock from many threads while counting overlaps.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "tinyrt/sync/ticket_lock.hpp"

namespace sync_test {

// Runs `body` on a helper thread and aborts the test binary with a message if
// it has not finished within `limit`: a lost wake-up or a deadlock must fail
// loudly, not hang CTest until its own timeout.
template <typename Body>
void within(std::chrono::seconds limit, const char* what, Body&& body) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread worker([&] {
        body();
        std::lock_guard<std::mutex> g(m);
        done = true;
        cv.notify_one();
    });
    std::unique_lock<std::mutex> lk(m);
    if (!cv.wait_for(lk, limit, [&] { return done; })) {
        std::fprintf(stderr, "sync test hung for %llds: %s\n", static_cast<long long>(limit.count()), what);
        std::abort();
    }
    lk.unlock();
    worker.join();
}

struct hammer_result {
    long counter = 0;   // a plain long incremented under the lock
    int overlaps = 0;   // times a thread found another one inside
};

// `threads` threads, released together by a latch, each add 1 to a
// plain counter `increments` times under `lock`. Without mutual exclusion the
// counter loses increments (and ThreadSanitizer reports the race), and the
// `inside` check sees two threads in the critical section.
template <typename Lock>
hammer_result hammer(Lock& lock, int threads, int increments) {
    hammer_result r;
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    // A latch, not a yield loop: on Linux's EEVDF scheduler a thread that
    // yields thousands of times is pushed far back and may not run for a
    // long while after the start.
    std::latch start(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            start.arrive_and_wait();
            for (int i = 0; i < increments; ++i) {
                std::lock_guard<Lock> g(lock);
                if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
                ++r.counter;
                inside.fetch_sub(1);
            }
        });
    }
    for (auto& th : pool) th.join();
    r.overlaps = overlaps.load();
    return r;
}

// Queues `waiters` threads on a held ticket_lock one at a time (thread k
// starts only once thread k-1 holds its ticket, so ticket order is 0, 1, 2,
// ...), releases the lock, and returns the order in which they entered it.
// A FIFO lock returns 0, 1, ..., waiters-1.
inline std::vector<int> ticket_entry_order(int waiters) {
    tinyrt::ticket_lock lock;
    std::vector<int> order;  // written only under the lock
    std::vector<std::thread> pool;
    lock.lock();
    for (int k = 0; k < waiters; ++k) {
        pool.emplace_back([&, k] {
            std::lock_guard<tinyrt::ticket_lock> g(lock);
            order.push_back(k);
        });
        // The owner plus k+1 waiters: thread k holds its ticket.
        while (lock.queue_length() != static_cast<std::uint32_t>(k) + 2) std::this_thread::yield();
    }
    lock.unlock();
    for (auto& th : pool) th.join();
    return order;
}

// 0, 1, ..., n-1: the order a FIFO lock must grant.
inline std::vector<int> in_order(int n) {
    std::vector<int> v;
    for (int k = 0; k < n; ++k) v.push_back(k);
    return v;
}

}  // namespace sync_test
