// A waiting worker must not run, on top of its own task, a task that may
// join that very task: a task_group child spawned from outside the pool
// (DESIGN.md, "What a waiting worker may run", rule 3) or a pool.spawn task
// that one of its own children spawned (rule 1). Runs under the watchdog of
// support/within_limit.hpp: the broken rules deadlock.
#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "support/within_limit.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/sched/detail/introspect.hpp"

using test_support::within_limit;

namespace {

// True once some worker of p sleeps in a wait (join or task_group::wait).
bool a_worker_sleeps_in_a_wait(const tinyrt::pool& p) {
    return tinyrt::detail::describe(p).find(": blocked") != std::string::npos;
}

}  // namespace

TEST_CASE("hang: a waiter does not run an outside group's child that joins the waiter's task") {
    // J runs on a worker and waits for its child c, which the other worker
    // runs and holds. Meanwhile main spawns, from outside, a group child
    // that joins J. Run on top of J's wait, that child would wait for J
    // and J for it. It must instead run once J's worker is free (or on the
    // other worker), after J.
    within_limit("outside child joins the waiting task", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::atomic<bool> c_started{false};
            std::atomic<bool> release_c{false};
            std::atomic<bool> outside_child_spawned{false};
            std::atomic<bool> outside_child_started{false};
            auto j = p.spawn([&] {
                tinyrt::task_group g{p};
                g.spawn([&] {
                    c_started.store(true);
                    while (!release_c.load()) std::this_thread::yield();
                });
                // c was published (the other worker is idle) and is taken by
                // it: J's wait below has nothing of its own to run.
                while (!c_started.load()) std::this_thread::yield();
                while (!outside_child_spawned.load()) std::this_thread::yield();
                g.wait();
                return 7;
            });
            while (!c_started.load()) std::this_thread::yield();
            int joined = 0;
            tinyrt::task_group outside{p};
            outside.spawn([&] {
                outside_child_started.store(true);
                joined = j.join();
            });
            outside_child_spawned.store(true);
            // Either J's worker took the child into its wait (the hang) or it
            // went to sleep in that wait: then let c finish.
            while (!outside_child_started.load() && !a_worker_sleeps_in_a_wait(p))
                std::this_thread::yield();
            release_c.store(true);
            outside.wait();
            CHECK(joined == 7);
        }
    });
}

TEST_CASE("hang: a waiter does not run a pool.spawn task its own child spawned, which joins it") {
    // R waits for its children c (which spawns S and returns) and c2 (held
    // on the other worker). S, on R's own deque above the wait's mark, joins
    // R: run on top of R's wait, it would wait for R and R for it.
    within_limit("spawned grandchild joins the waiting task", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::atomic<bool> c2_started{false};
            std::atomic<bool> release_c2{false};
            std::atomic<bool> s_started{false};
            std::optional<tinyrt::join_handle<int>> r;
            std::optional<tinyrt::join_handle<int>> s;
            std::atomic<bool> r_ready{false};
            std::atomic<bool> s_spawned{false};
            r.emplace(p.spawn([&] {
                while (!r_ready.load()) std::this_thread::yield();
                tinyrt::task_group g{p};
                g.spawn([&] {
                    c2_started.store(true);
                    while (!release_c2.load()) std::this_thread::yield();
                });
                while (!c2_started.load()) std::this_thread::yield();
                g.spawn([&] {
                    s.emplace(p.spawn([&] {
                        s_started.store(true);
                        return r->join() + 1;
                    }));
                    s_spawned.store(true);
                });
                g.wait();
                return 1;
            }));
            r_ready.store(true);
            // Either R's worker ran S inside its wait (the hang) or it went to
            // sleep in that wait: then let c2 finish.
            while (!s_started.load() && !a_worker_sleeps_in_a_wait(p)) std::this_thread::yield();
            release_c2.store(true);
            while (!s_spawned.load()) std::this_thread::yield();
            CHECK(s->join() == 2);
        }
    });
}
