// pool.map runs slow items side by side: the property the pool_map demo's
// "Pool(3).map takes about one tick" shows in seconds, checked here without
// a clock. Each call waits on a latch that opens only when all three calls
// have arrived, so the test finishes only if three threads run the three
// items at once; a map that ran them one after another would hang, which
// the watchdog reports.
#include <doctest/doctest.h>

#include <latch>
#include <vector>

#include "support/within_limit.hpp"
#include "tinyrt/sched.hpp"

TEST_CASE("map: Pool(3).map runs three blocking items at the same time") {
    test_support::within_limit("Pool(3).map with three items meeting at a latch", [] {
        std::latch all_arrived{3};
        auto inc = [&all_arrived](int x) {
            all_arrived.arrive_and_wait();
            return x + 1;
        };
        tinyrt::pool p{{.workers = 3}};
        CHECK(p.map(inc, std::vector<int>{1, 2, 3}) == std::vector<int>{2, 3, 4});
    });
}
