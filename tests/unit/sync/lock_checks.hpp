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

}  // namespace sync_test
