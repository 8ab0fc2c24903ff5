// The README's example for tinyrt/sync, compiled and run here so it never rots.
#include <doctest/doctest.h>

// [example: sync]
#include <mutex>
#include <thread>
#include <vector>

#include <tinyrt/sync.hpp>

long count_with(int threads, int increments) {
    tinyrt::mutex m;  // or tinyrt::spinlock, tinyrt::ticket_lock: same interface
    long total = 0;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int i = 0; i < increments; ++i) {
                std::lock_guard<tinyrt::mutex> guard(m);  // Lockable: std guards work
                ++total;
            }
        });
    }
    for (auto& th : pool) th.join();
    return total;  // always threads * increments
}
// [end example]

TEST_CASE("the README example counts exactly") {
    CHECK(count_with(4, 10000) == 40000);
}
