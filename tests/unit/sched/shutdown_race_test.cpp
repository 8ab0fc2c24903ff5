// ~pool against a worker that is parking: the tasks spawned from outside
// just before the destructor all run. The worker's last re-check can come
// before those spawns and its read of stopping_ after ~pool set it; the
// shutdown check must not then conclude that nothing is queued (pool.cpp,
// park). The window is a few instructions wide: the chaos build
// (TINYRT_CHAOS=ON, see README, "Stress testing") widens it enough for this
// test to hit it within a few hundred rounds when the order is wrong.
#include <doctest/doctest.h>

#include <atomic>

#include "tinyrt/sched.hpp"

TEST_CASE("tasks spawned from outside just before ~pool run, while the worker parks") {
    for (int round = 0; round < 3000; ++round) {
        const int n = 1 + round % 30;
        const unsigned workers = 1 + round % 2;
        std::atomic<int> ran{0};
        {
            tinyrt::pool p{{.workers = workers}};
            for (int i = 0; i < n; ++i) p.spawn([&] { ran.fetch_add(1); });
        }
        if (ran.load() != n) {
            CAPTURE(round);
            CAPTURE(workers);
            REQUIRE(ran.load() == n);
        }
    }
}
