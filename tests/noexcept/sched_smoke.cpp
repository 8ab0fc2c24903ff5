// The scheduler without exceptions or RTTI: spawn/join, a task_group
// recursion, map, stats and shutdown all work.
#include <atomic>
#include <vector>

#include "check.hpp"
#include "../support/fork_join.hpp"
#include "tinyrt/sched.hpp"

int main() {
    std::atomic<int> detached{0};
    {
        tinyrt::pool pool{{.workers = 2}};
        NOEXCEPT_CHECK(pool.spawn([] { return 41 + 1; }).join() == 42);
        NOEXCEPT_CHECK(pool.spawn([&] { return test_support::fib(pool, 18); }).join() == 2584);
        auto r = pool.map([](int x) { return x + 1; }, {1, 2, 3});
        NOEXCEPT_CHECK((r == std::vector<int>{2, 3, 4}));
        for (int i = 0; i < 100; ++i) pool.spawn([&] { detached.fetch_add(1); });
        auto total = pool.stats().total();
        NOEXCEPT_CHECK(total.tasks_run >= 3);
    }
    NOEXCEPT_CHECK(detached.load() == 100);  // shutdown ran the detached tasks
    return 0;
}
