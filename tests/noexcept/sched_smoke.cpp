// The scheduler without exceptions or RTTI: spawn/join, a task_group
// recursion, map, stats and shutdown all work.
#include <atomic>
#include <vector>

#include "check.hpp"
#include "tinyrt/sched.hpp"

namespace {

int fib(tinyrt::pool& p, int n) {
    if (n < 2) return n;
    int a = 0;
    tinyrt::task_group g{p};
    g.spawn([&] { a = fib(p, n - 1); });
    int b = fib(p, n - 2);
    g.wait();
    return a + b;
}

}  // namespace

int main() {
    std::atomic<int> detached{0};
    {
        tinyrt::pool pool{{.workers = 2}};
        NOEXCEPT_CHECK(pool.spawn([] { return 41 + 1; }).join() == 42);
        NOEXCEPT_CHECK(pool.spawn([&] { return fib(pool, 18); }).join() == 2584);
        auto r = pool.map([](int x) { return x + 1; }, {1, 2, 3});
        NOEXCEPT_CHECK((r == std::vector<int>{2, 3, 4}));
        for (int i = 0; i < 100; ++i) pool.spawn([&] { detached.fetch_add(1); });
        auto total = pool.stats().total();
        NOEXCEPT_CHECK(total.tasks_run >= 3);
    }
    NOEXCEPT_CHECK(detached.load() == 100);  // shutdown ran the detached tasks
    return 0;
}
