// detail::describe(pool): the per-worker state words and the pool's counts,
// read from another thread while the pool runs. Every case waits for a
// condition on the report (never for a time), under a watchdog.
#include "tinyrt/sched/detail/introspect.hpp"

#include <doctest/doctest.h>

#include <latch>
#include <string>
#include <thread>

#include "support/within_limit.hpp"
#include "tinyrt/sched.hpp"

namespace {

// The line of worker `i` in a report.
std::string worker_line(const std::string& report, unsigned i) {
    const std::string head = "worker " + std::to_string(i) + ": ";
    const std::size_t at = report.find(head);
    if (at == std::string::npos) return {};
    return report.substr(at, report.find('\n', at) - at);
}

// How many worker lines report `activity` (followed by a space).
unsigned count_workers(const std::string& report, unsigned workers, const std::string& activity) {
    unsigned n = 0;
    for (unsigned i = 0; i < workers; ++i) {
        const std::string line = worker_line(report, i);
        if (line.find(": " + activity + " ") != std::string::npos) ++n;
    }
    return n;
}

// Polls describe(p) until pred(report) holds; returns that report.
template <typename Pred>
std::string wait_for_report(const tinyrt::pool& p, Pred pred) {
    for (;;) {
        std::string r = tinyrt::detail::describe(p);
        if (pred(r)) return r;
        std::this_thread::yield();
    }
}

}  // namespace

TEST_CASE("describe: an idle pool's workers all reach parked") {
    test_support::within_limit("idle workers park", [] {
        for (unsigned workers : {1U, 2U, 4U}) {
            tinyrt::pool pool{{.workers = workers}};
            std::string r = wait_for_report(pool, [&](const std::string& s) {
                return count_workers(s, workers, "parked") == workers;
            });
            CHECK(r.find("parked=" + std::to_string(workers)) != std::string::npos);
            CHECK(r.find("injected=0") != std::string::npos);
            CHECK(r.find("stopping=no") != std::string::npos);
            CHECK(worker_line(r, workers - 1).find("private=0 deque=empty") != std::string::npos);
        }
    });
}

TEST_CASE("describe: a worker blocked inside a task on a latch is running that task") {
    test_support::within_limit("running on a latch", [] {
        tinyrt::pool pool{{.workers = 2}};
        std::latch started{1}, release{1};
        auto h = pool.spawn([&] {
            started.count_down();
            release.wait();
            return 7;
        });
        started.wait();
        std::string r = wait_for_report(
            pool, [](const std::string& s) { return count_workers(s, 2, "running") == 1; });
        // The running worker names a task; the other one goes on to park.
        const unsigned runner = worker_line(r, 0).find(": running ") != std::string::npos ? 0 : 1;
        CHECK(worker_line(r, runner).find(" task=0x") != std::string::npos);
        CHECK(worker_line(r, runner).find("tasks_run=1") != std::string::npos);
        wait_for_report(pool, [&](const std::string& s) {
            return worker_line(s, 1 - runner).find(": parked ") != std::string::npos;
        });
        release.count_down();
        CHECK(h.join() == 7);
        // Back in the worker loop: no worker runs a task any more.
        wait_for_report(pool,
                        [](const std::string& s) { return count_workers(s, 2, "parked") == 2; });
    });
}

TEST_CASE("describe: a join waiting for a task that runs elsewhere is blocked, keeping its task") {
    test_support::within_limit("blocked join", [] {
        tinyrt::pool pool{{.workers = 2}};
        std::latch started{1}, release{1};
        auto outer = pool.spawn([&] {
            auto inner = pool.spawn([&] {
                started.count_down();
                release.wait();
                return 1;
            });
            started.wait();  // the other worker has claimed it: join() cannot run it inline
            return inner.join() + 1;
        });
        std::string r = wait_for_report(pool, [](const std::string& s) {
            return count_workers(s, 2, "blocked") == 1 && count_workers(s, 2, "running") == 1;
        });
        const unsigned waiter = worker_line(r, 0).find(": blocked ") != std::string::npos ? 0 : 1;
        CHECK(worker_line(r, waiter).find(" task=0x") != std::string::npos);
        CHECK(r.find("waiting=1") != std::string::npos);
        release.count_down();
        CHECK(outer.join() == 2);
    });
}

TEST_CASE("describe: a pool with one worker stuck reports the injected tasks behind it") {
    test_support::within_limit("injected backlog", [] {
        tinyrt::pool pool{{.workers = 1}};
        std::latch started{1}, release{1};
        auto first = pool.spawn([&] {
            started.count_down();
            release.wait();
        });
        started.wait();
        auto second = pool.spawn([] {});
        auto third = pool.spawn([] {});
        std::string r = tinyrt::detail::describe(pool);
        CHECK(r.find("injected=2") != std::string::npos);
        CHECK(count_workers(r, 1, "running") == 1);
        release.count_down();
        first.join();
        second.join();
        third.join();
    });
}
