// Regressions for hangs found in review (the reviewer's repro programs, made
// into tests). Each scenario runs on its own thread under a watchdog: if it
// has not finished after 20 s the test binary exits with a message naming
// the scenario instead of hanging CTest (a deadlocked pool cannot be
// destroyed, so there is nothing cleaner to do).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/pool_being_destroyed.hpp"
#include "tinyrt/sched.hpp"

namespace {

// Runs body() on a new thread; exits the process with a message if it does
// not return within `limit`.
template <typename F>
void within_limit(const char* scenario, F body,
                  std::chrono::seconds limit = std::chrono::seconds(20)) {
    std::mutex m;
    std::condition_variable cv;
    bool finished = false;
    std::thread t([&] {
        body();
        std::lock_guard lock(m);
        finished = true;
        cv.notify_all();
    });
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, limit, [&] { return finished; })) {
        std::fprintf(stderr, "HANG: scenario \"%s\" did not finish in %lld s (deadlock)\n",
                     scenario, static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::_Exit(1);
    }
    lock.unlock();
    t.join();
}

}  // namespace

TEST_CASE("hang: a pool.spawn child of a task that blocks outside tinyrt is not hidden") {
    // Finding 3 (hidden.cpp). Both workers busy, so the old scheduler kept
    // A's child in A's private buffer; A then blocks on a std::latch that
    // only the child counts down, and the other worker goes idle and parks.
    within_limit("private child behind a std::latch", [] {
        tinyrt::pool p{{.workers = 2}};
        std::atomic<int> running{0};
        std::atomic<bool> a_spawned{false};
        std::latch child_done{1};
        auto hb = p.spawn([&] {
            running.fetch_add(1);
            while (!a_spawned.load()) std::this_thread::yield();
        });
        auto ha = p.spawn([&] {
            running.fetch_add(1);
            while (running.load() < 2) std::this_thread::yield();
            p.spawn([&] { child_done.count_down(); }).detach();
            a_spawned.store(true);
            child_done.wait();
        });
        ha.join();
        hb.join();
    });
}

TEST_CASE("spawning into a task_group from outside a pool that is shutting down is an error") {
    // Finding 4: task_group::spawn from a non-worker goes to the injection
    // queue and must be refused like pool.spawn once ~pool() has started.
    std::string message;
    within_limit("task_group::spawn during ~pool() is never refused", [&] {
        test_support::pool_being_destroyed dying;
        std::atomic<int> ran{0};
        {
            tinyrt::task_group g{dying.pool()};
            for (;;) {
                try {
                    g.spawn([&] { ran.fetch_add(1); });  // accepted until the destructor starts
                } catch (const std::logic_error& e) {
                    message = e.what();
                    break;
                }
                std::this_thread::yield();
            }
            dying.release();
            g.wait();  // every accepted child still runs
        }
        dying.join();
    });
    CHECK(message.find("shutting down") != std::string::npos);
}

TEST_CASE("hang: a waiter does not run a spawned task that joins the waiter's own task") {
    // Finding 1 (mapjoin.cpp). a runs a map and waits for its chunks; b,
    // queued behind it, joins a. The old waiter took b and ran it on top of
    // a's frame: b waited for a, a for b.
    within_limit("map in a, b joins a", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::vector<int> v(64);
            std::iota(v.begin(), v.end(), 0);
            auto a = p.spawn([&] {
                return p.map(
                    [](int x) {
                        std::this_thread::sleep_for(std::chrono::microseconds(200));
                        return x;
                    },
                    v);
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            auto b = p.spawn([a = std::move(a)]() mutable { return a.join().size(); });
            CHECK(b.join() == 64);
        }
    });
}

TEST_CASE("hang: X joins Z while Y joins X (2 workers)") {
    // Finding 1, second form (helpcycle.cpp): while X waited for Z, X's
    // worker took Y, which joins X, and ran it on top of X.
    within_limit("X joins Z, Y joins X", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::atomic<bool> gate{false};
            std::atomic<bool> zgo{false};
            std::optional<tinyrt::join_handle<void>> hx;
            std::optional<tinyrt::join_handle<void>> hz;
            std::atomic<int> done{0};
            hx.emplace(p.spawn([&] {
                while (!gate.load()) std::this_thread::yield();
                hz->join();
                done.fetch_add(1);
            }));
            auto hy = p.spawn([&] {
                while (!gate.load()) std::this_thread::yield();
                hx->join();
                done.fetch_add(1);
            });
            hz.emplace(p.spawn([&] {
                while (!zgo.load()) std::this_thread::yield();
                done.fetch_add(1);
            }));
            gate.store(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            zgo.store(true);
            hy.join();
            CHECK(done.load() == 3);
        }
    });
}

TEST_CASE("hang: 40 injected tasks each joining a later injected task (1 worker)") {
    // Finding 2 (helpdepth.cpp): A_i joins B_i, all A before all B in the
    // injection queue. The old waiter nested A_1..A_32 on one stack and at
    // the depth limit slept with B_32 queued. Now A_i runs B_i inline.
    within_limit("A_i joins B_i, 1 worker", [] {
        tinyrt::pool p{{.workers = 1}};
        constexpr int n = 40;
        std::optional<tinyrt::join_handle<int>> hb[n];
        std::optional<tinyrt::join_handle<void>> ha[n];
        std::atomic<bool> gate{false};
        std::atomic<int> sum{0};
        auto blocker = p.spawn([&] {
            while (!gate.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        for (int i = 0; i < n; ++i)
            ha[i].emplace(p.spawn([&, i] { sum.fetch_add(hb[i]->join()); }));
        for (int i = 0; i < n; ++i) hb[i].emplace(p.spawn([i] { return i; }));
        gate.store(true);
        blocker.join();
        for (auto& h : ha) h->join();
        CHECK(sum.load() == n * (n - 1) / 2);
    });
}

TEST_CASE("join() of an unstarted task runs it inline: spawned tasks do not nest on a waiter") {
    // joindepth.cpp: each of K spawned tasks spawns and joins a slow child.
    // The old join could run any own-deque or stolen task while it waited,
    // nesting spawned tasks on one stack. Now a joiner runs only its own
    // unstarted task inline (or fork-join children), so a spawned task never
    // runs on top of another one's join. (A bound check: the old code did
    // not always nest deeply here, so this is not a reproduction.)
    within_limit("join nesting", [] {
        tinyrt::pool p{{.workers = 4}};
        constexpr int k = 1000;
        static thread_local int depth = 0;
        std::atomic<int> deepest{0};
        p.spawn([&] {
             std::vector<tinyrt::join_handle<void>> hs;
             for (int i = 0; i < k; ++i) {
                 hs.push_back(p.spawn([&] {
                     int d = ++depth;
                     int seen = deepest.load();
                     while (d > seen && !deepest.compare_exchange_weak(seen, d)) {
                     }
                     auto c = p.spawn(
                         [] { std::this_thread::sleep_for(std::chrono::microseconds(30)); });
                     std::this_thread::sleep_for(std::chrono::microseconds(10));
                     c.join();
                     --depth;
                 }));
             }
             for (auto& h : hs) h.join();
         }).join();
        CHECK(deepest.load() <= 2);
    });
}

TEST_CASE("a joined task already claimed by a worker is waited for, and its result arrives") {
    within_limit("join of running tasks", [] {
        tinyrt::pool p{{.workers = 2}};
        long total = p.spawn([&] {
                          std::vector<tinyrt::join_handle<long>> hs;
                          for (long i = 0; i < 2000; ++i) hs.push_back(p.spawn([i] { return i; }));
                          long s = 0;
                          for (auto& h : hs) s += h.join();
                          return s;
                      }).join();
        CHECK(total == 1999L * 2000 / 2);
        auto st = p.stats();
        (void)st;
    });
}
