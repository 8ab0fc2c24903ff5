// Pool behaviour around idleness, shutdown and counters.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/pool_being_destroyed.hpp"
#include "tinyrt/sched.hpp"

namespace {

// Waits (by polling the counters, not by sleeping) until every worker of
// `p` has gone to sleep.
void wait_until_idle(const tinyrt::pool& p) {
    for (;;) {
        auto s = p.stats();
        std::uint64_t asleep = 0;
        for (const auto& w : s.workers) asleep += w.parks - w.wakeups;
        if (asleep == p.size()) return;
        std::this_thread::yield();
    }
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

TEST_CASE("no lost wake-up: a spawn after the pool has gone idle always runs") {
    for (unsigned workers : {1U, 2U}) {
        tinyrt::pool pool{{.workers = workers}};
        for (int i = 0; i < 100; ++i) {
            wait_until_idle(pool);
            CHECK(pool.spawn([i] { return i; }).join() == i);  // hangs if the wake-up were lost
        }
    }
}

TEST_CASE("an idle pool of 2 workers uses under 5% of one core") {
    tinyrt::pool pool{{.workers = 2}};
    wait_until_idle(pool);
    double before = cpu_seconds();
    auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the measurement window
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double used = cpu_seconds() - before;
    CHECK(used < 0.05 * wall);
}

TEST_CASE("stats add up: every spawned task ran once") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> leaves{0};
    pool.spawn([&] {
            tinyrt::task_group g{pool};
            for (int i = 0; i < 64; ++i) {
                g.spawn([&] {
                    tinyrt::task_group inner{pool};
                    for (int k = 0; k < 16; ++k) inner.spawn([&] { leaves.fetch_add(1); });
                    inner.wait();
                });
            }
            g.wait();
        })
        .join();
    CHECK(leaves.load() == 64 * 16);
    auto total = pool.stats().total();
    CHECK(total.tasks_spawned == 1 + 64 + 64 * 16);
    CHECK(total.tasks_run == total.tasks_spawned);
    CHECK(total.tasks_stolen <= total.steal_attempts);
}

TEST_CASE("destroying the pool runs every task already spawned, and their children") {
    std::atomic<int> ran{0};
    {
        tinyrt::pool pool{{.workers = 2}};
        for (int i = 0; i < 500; ++i) {
            pool.spawn([&] {
                ran.fetch_add(1);
                pool.spawn(
                    [&] { ran.fetch_add(1); });  // spawned from a worker during shutdown: accepted
            });                                  // handle dropped: detached, still runs
        }
    }
    CHECK(ran.load() == 1000);
}

TEST_CASE("spawning from outside into a pool that is shutting down is an error") {
    test_support::pool_being_destroyed dying;
    std::string message;
    for (;;) {
        try {
            dying.pool().spawn([] {});  // accepted until the destructor starts
        } catch (const std::logic_error& e) {
            message = e.what();
            break;
        }
        std::this_thread::yield();
    }
    dying.join();
    CHECK(message.find("shutting down") != std::string::npos);
}
