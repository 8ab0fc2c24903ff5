// README's scheduler example: fork-join (the fib of tests/support/fork_join.hpp),
// pool.spawn and join, map and stats, as one program. toolchain/examples cuts
// the regions below into README; CTest runs the program (label `docs`).
// [example: sched-include]
#include <tinyrt/sched.hpp>
// [end example]

#include <vector>

#include "support/fork_join.hpp"

using test_support::fib;

// [example: sched-main]
int main() {
    tinyrt::pool pool{{.workers = 2}};  // 0 (default): one worker per hardware thread
    int v = pool.spawn([] { return 41 + 1; }).join();                       // 42
    int f = pool.spawn([&] { return fib(pool, 20); }).join();               // 6765
    std::vector<int> r = pool.map([](int x) { return x + 1; }, {1, 2, 3});  // {2, 3, 4}
    tinyrt::pool_stats s = pool.stats();                                    // per-worker counters
    bool ok = v == 42 && f == 6765 && r == std::vector<int>{2, 3, 4} && s.total().tasks_run > 0;
    return ok ? 0 : 1;
}
// [end example]
