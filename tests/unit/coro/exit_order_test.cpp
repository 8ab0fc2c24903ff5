// Objects with static storage that hold tasks are destroyed at exit, in an
// order the program does not control: after the frame allocator's own
// statics. Their frames must still be safe to free then (AddressSanitizer
// reports a heap-use-after-free otherwise).
#include <doctest/doctest.h>

#include <vector>

#include "support/child_process.hpp"
#include "tinyrt/coro.hpp"

using tinyrt::task;

namespace {

// Constructed before any frame is allocated, so destroyed after the
// allocator's function-local statics.
std::vector<task<int>> global_tasks;
tinyrt::task_handle<int> global_handle;

task<int> value(int v) {
    co_return v;
}

}  // namespace

TEST_CASE("exit: tasks and handles held in globals are destroyed safely at exit") {
    auto r = test_support::run_in_child(
        [] {
            auto main = []() -> task<int> {
                global_handle = tinyrt::create_task(value(1));
                co_return co_await global_handle;
            };
            if (tinyrt::run(main()) != 1) return 1;
            for (int i = 0; i < 100; ++i) global_tasks.push_back(value(i));  // never started
            return 0;
        },
        test_support::child_end::run_static_destructors);
    CHECK(r.exited_ok());
    CHECK(r.err.empty());
}
