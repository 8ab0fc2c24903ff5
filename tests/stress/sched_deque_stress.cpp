// The deque under a million items: an owner pushing and popping against
// several thieves; every item is taken exactly once. Size scales with
// TINYRT_STRESS_SCALE.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "support/fork_join.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/sched/detail/chase_lev_deque.hpp"

namespace {

long stress_scale() {
    const char* s = std::getenv("TINYRT_STRESS_SCALE");
    long v = s != nullptr ? std::atol(s) : 1;
    return v > 0 ? v : 1;
}

}  // namespace

TEST_CASE("stress: a million deque items, owner against three thieves, each taken once") {
    using deque = tinyrt::detail::chase_lev_deque<int*>;
    const int n = static_cast<int>(1000000 * stress_scale());
    deque d{16};
    std::vector<int> ids(static_cast<std::size_t>(n));
    auto taken = std::make_unique<std::atomic<unsigned char>[]>(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = i;
    std::atomic<bool> done{false};
    std::vector<std::thread> thieves;
    for (int t = 0; t < 3; ++t) {
        thieves.emplace_back([&] {
            while (!done.load() || d.looks_non_empty()) {
                int* p = nullptr;
                if (d.steal(p) == deque::steal_result::success)
                    taken[static_cast<std::size_t>(*p)].fetch_add(1);
            }
        });
    }
    for (int i = 0; i < n; ++i) {
        d.push(&ids[static_cast<std::size_t>(i)]);
        if (i % 2 == 0) {
            if (int* p = d.pop()) taken[static_cast<std::size_t>(*p)].fetch_add(1);
        }
    }
    while (int* p = d.pop()) taken[static_cast<std::size_t>(*p)].fetch_add(1);
    done.store(true);
    for (auto& t : thieves) t.join();
    long wrong = 0;
    for (int i = 0; i < n; ++i) wrong += taken[static_cast<std::size_t>(i)].load() == 1 ? 0 : 1;
    CHECK(wrong == 0);
}

TEST_CASE("stress: repeated pools with fork-join, outside spawns and shutdown") {
    const long rounds = 20 * stress_scale();
    for (long r = 0; r < rounds; ++r) {
        std::atomic<int> detached{0};
        {
            tinyrt::pool pool{{.workers = static_cast<unsigned>(1 + r % 4)}};
            std::vector<std::thread> outsiders;
            for (int t = 0; t < 2; ++t) {
                outsiders.emplace_back([&] {
                    for (int i = 0; i < 200; ++i) pool.spawn([&] { detached.fetch_add(1); });
                });
            }
            CHECK(pool.spawn([&] { return test_support::fib(pool, 16); }).join() == 987);
            for (auto& t : outsiders) t.join();
        }
        CHECK(detached.load() == 400);
    }
}

TEST_CASE(
    "stress: deep fork-join (test_support::fib(30), 1.3M spawns) neither deadlocks nor overflows "
    "on 1 and 2 "
    "workers") {
    // TINYRT_STRESS_SCALE >= 3 runs the benchmark's test_support::fib(35).
    const int n = stress_scale() >= 3 ? 35 : 30;
    for (unsigned workers : {1U, 2U}) {
        CAPTURE(workers);
        tinyrt::pool pool{{.workers = workers}};
        int r = pool.spawn([&] { return test_support::fib(pool, n); }).join();
        CHECK(r == (n == 35 ? 9227465 : 832040));
        auto total = pool.stats().total();
        CHECK(total.tasks_run == total.tasks_spawned);
    }
}
