// The README's coroutine example, compiled and run (so it cannot rot).
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "tinyrt/tinyrt.hpp"

namespace readme {
// [example: coro]
using namespace std::chrono_literals;

tinyrt::task<int> g(int n) {          // lazy: g(1) runs nothing yet
    co_await tinyrt::sleep_for(1ms);  // asyncio.sleep
    co_return n + 1;
}

tinyrt::task<int> f(tinyrt::pool& pool) {
    auto t1 = tinyrt::create_task(g(1));                // starts running concurrently
    int a = co_await t1;                                // await t1 (value, or its exception)
    auto [x, y] = co_await tinyrt::gather(g(1), g(2));  // std::tuple
    std::vector<tinyrt::task<int>> ts;
    ts.push_back(g(3));
    std::vector<int> v = co_await tinyrt::gather(std::move(ts));     // std::vector
    int z = co_await tinyrt::to_thread(pool, [] { return 6 * 7; });  // run_in_executor
    try {
        co_await tinyrt::wait_for(g(4), 0ms);  // asyncio.wait_for
    } catch (const tinyrt::timeout_error&) {
        z += 1;  // g(4) was cancelled
    }
    co_return a + x + y + v[0] + z;
}
// [end example]

}  // namespace readme

TEST_CASE("readme: the coroutine example runs") {
    tinyrt::pool pool{{.workers = 2}};
    CHECK(tinyrt::run(readme::f(pool)) == 2 + 2 + 3 + 4 + 43);
}
