// The fork-join workloads of the scheduler's tests, smoke program and
// benchmark: recursive Fibonacci and a full binary tree, where every call
// spawns its first half as a task_group child (no sequential cut-off), like
// the peers they are compared with.
#pragma once

#include "tinyrt/sched.hpp"

namespace test_support {

// [example: fib]
inline int fib(tinyrt::pool& p, int n) {
    if (n < 2) return n;
    int a = 0;
    tinyrt::task_group g{p};
    g.spawn([&] { a = fib(p, n - 1); });  // a child: may be stolen by another worker
    int b = fib(p, n - 2);
    g.wait();  // runs children while waiting
    return a + b;
}
// [end example]

// The same recursion without tasks: the expected value, and the baseline.
inline int fib_plain(int n) { return n < 2 ? n : fib_plain(n - 1) + fib_plain(n - 2); }

// Counts the leaves of a full binary tree of `depth` levels (2^depth), one
// task_group spawn per inner node.
inline long tree(tinyrt::pool& p, int depth) {
    if (depth == 0) return 1;
    long left = 0;
    tinyrt::task_group g{p};
    g.spawn([&] { left = tree(p, depth - 1); });
    long right = tree(p, depth - 1);
    g.wait();
    return left + right;
}

}  // namespace test_support
