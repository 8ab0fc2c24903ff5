// to_thread and post: results and errors come back from pool workers to the
// loop thread; several threads post at once; the loop keeps running other
// tasks meanwhile.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/within_limit.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"

using namespace std::chrono_literals;

TEST_CASE("to_thread: the result comes back on the loop thread") {
    tinyrt::pool pool{{.workers = 2}};
    const auto loop_thread = std::this_thread::get_id();
    auto main = [&]() -> tinyrt::task<int> {
        std::thread::id worker;
        int v = co_await tinyrt::to_thread(pool, [&worker] {
            worker = std::this_thread::get_id();
            return 41 + 1;
        });
        CHECK(worker != loop_thread);
        CHECK(std::this_thread::get_id() == loop_thread);
        co_await tinyrt::to_thread(pool, [] {});  // void
        co_return v;
    };
    CHECK(tinyrt::run(main()) == 42);
}

TEST_CASE("to_thread: an exception in the function reaches the awaiter") {
    tinyrt::pool pool{{.workers = 1}};
    auto main = [&]() -> tinyrt::task<void> {
        CHECK_THROWS_WITH_AS(co_await tinyrt::to_thread(
                                 pool, []() -> int { throw std::runtime_error("in worker"); }),
                             "in worker", std::runtime_error);
    };
    tinyrt::run(main());
}

TEST_CASE("to_thread: many round trips at once, while other tasks run (1, 2, 4 workers)") {
    for (unsigned workers : {1u, 2u, 4u}) {
        CAPTURE(workers);
        tinyrt::pool pool{{.workers = workers}};
        int ticks = 0;
        auto main = [&]() -> tinyrt::task<long> {
            auto ticker = tinyrt::create_task([](int& t) -> tinyrt::task<void> {
                for (int i = 0; i < 5; ++i) {
                    co_await tinyrt::sleep_for(0ms);
                    ++t;
                }
            }(ticks));
            std::vector<tinyrt::task<int>> ts;
            for (int i = 0; i < 200; ++i) {
                ts.push_back([](tinyrt::pool& p, int n) -> tinyrt::task<int> {
                    co_return co_await tinyrt::to_thread(p, [n] { return n * 2; });
                }(pool, i));
            }
            auto r = co_await tinyrt::gather(std::move(ts));
            co_await ticker;
            long sum = 0;
            for (int v : r) sum += v;
            co_return sum;
        };
        CHECK(tinyrt::run(main()) == 2L * (199 * 200 / 2));
        CHECK(ticks == 5);
    }
}

TEST_CASE("to_thread: a cancel while the function runs is delivered when it returns") {
    tinyrt::pool pool{{.workers = 1}};
    std::atomic<bool> release{false};
    std::atomic<bool> finished{false};
    auto main = [&]() -> tinyrt::task<void> {
        auto h = tinyrt::create_task([](tinyrt::pool& p, std::atomic<bool>& go,
                                        std::atomic<bool>& fin) -> tinyrt::task<int> {
            co_return co_await tinyrt::to_thread(p, [&go, &fin] {
                while (!go.load()) std::this_thread::yield();
                fin.store(true);
                return 1;
            });
        }(pool, release, finished));
        co_await tinyrt::sleep_for(1ms);
        h.cancel();
        release.store(true);
        CHECK_THROWS_AS(co_await h, tinyrt::cancelled_error);
        CHECK(finished.load());  // the function ran to its end first
    };
    tinyrt::run(main());
}

TEST_CASE(
    "post: several threads post to a running loop; every item runs once, on the loop thread") {
    constexpr int threads = 4;
    constexpr int per_thread = 2000;
    tinyrt::event_loop loop;
    int ran = 0;  // loop thread only: a race here would be a TSan report
    std::atomic<int> posted{0};
    const auto loop_thread = std::this_thread::get_id();
    bool all_on_loop = true;
    auto main = [&]() -> tinyrt::task<void> {
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t) {
            ts.emplace_back([&] {
                for (int i = 0; i < per_thread; ++i) {
                    loop.post([&] {
                        ++ran;
                        if (std::this_thread::get_id() != loop_thread) all_on_loop = false;
                    });
                    posted.fetch_add(1);
                }
            });
        }
        // Keep the loop alive (sleeping, so posts must wake it) until all ran.
        while (ran < threads * per_thread) co_await tinyrt::sleep_for(50ms);
        for (auto& th : ts) th.join();
    };
    const auto start = std::chrono::steady_clock::now();
    tinyrt::run_on(loop, main());
    CHECK(ran == threads * per_thread);
    CHECK(all_on_loop);
    CHECK(loop.stats().posts == static_cast<std::uint64_t>(threads * per_thread));
    CHECK(std::chrono::steady_clock::now() - start < 60s);
}

TEST_CASE("post: a post wakes a loop that is asleep with nothing else to do") {
    tinyrt::event_loop loop;
    auto main = [&]() -> tinyrt::task<void> {
        auto sleeper =
            tinyrt::create_task([]() -> tinyrt::task<void> { co_await tinyrt::sleep_for(1h); }());
        std::thread poster([&] {
            // The loop is (or soon will be) blocked in epoll_wait for an
            // hour; only the eventfd write can get this item run.
            loop.post([&sleeper] { sleeper.cancel(); });
        });
        CHECK_THROWS_AS(co_await sleeper, tinyrt::cancelled_error);
        poster.join();
    };
    tinyrt::run_on(loop, main());
    CHECK(loop.stats().posts == 1);
}

// ---- A loop running on a worker of the pool it offloads to (item 7) ---------
// The worker that runs the loop is blocked in it, so it cannot take the job.
// Before, the job went onto that worker's own deque: with no other worker it
// waited forever, and the outstanding job kept the loop's deadlock detector
// quiet (a silent hang). Now the job goes where another worker takes it, and
// when no other worker of the pool ever could, to_thread refuses at once.

namespace {

// Runs one to_thread(pool, ...) on an event loop; the error message, if refused.
std::string offload_once(tinyrt::pool& pool, int& value) {
    std::string refused;
    auto main = [&]() -> tinyrt::task<void> {
        try {
            value = co_await tinyrt::to_thread(pool, [] { return 7; });
        } catch (const std::logic_error& e) {
            refused = e.what();
        }
    };
    tinyrt::run(main());
    return refused;
}

}  // namespace

TEST_CASE("to_thread: a loop on the only worker of the pool it offloads to is refused at once") {
    test_support::within_limit("to_thread onto the loop's own 1-worker pool", [] {
        tinyrt::pool pool{{.workers = 1}};
        int value = 0;
        std::string refused = pool.spawn([&] { return offload_once(pool, value); }).join();
        CHECK(refused.rfind("tinyrt::to_thread: ", 0) == 0);
        CHECK(refused.find("blocked in an event loop") != std::string::npos);
        CHECK(value == 0);
        // Nothing was left behind: the pool and to_thread from elsewhere work.
        CHECK(pool.spawn([] { return 3; }).join() == 3);
        CHECK(offload_once(pool, value).empty());
        CHECK(value == 7);
    });
}

TEST_CASE("to_thread: a loop on a worker of a 2-worker pool offloads to the other worker") {
    test_support::within_limit("to_thread onto the loop's own 2-worker pool", [] {
        tinyrt::pool pool{{.workers = 2}};
        struct result {
            long sum;
            std::thread::id loop_thread;
            bool all_elsewhere;
        };
        result r = pool.spawn([&] {
                           const auto loop_thread = std::this_thread::get_id();
                           std::atomic<bool> all_elsewhere{true};
                           auto main = [&]() -> tinyrt::task<long> {
                               long sum = 0;
                               for (int i = 0; i < 20; ++i) {  // one after the other
                                   sum += co_await tinyrt::to_thread(pool, [&, i] {
                                       if (std::this_thread::get_id() == loop_thread)
                                           all_elsewhere.store(false);
                                       return i;
                                   });
                               }
                               std::vector<tinyrt::task<int>> ts;  // and 50 at once
                               for (int i = 0; i < 50; ++i) {
                                   ts.push_back([](tinyrt::pool& p, int n) -> tinyrt::task<int> {
                                       co_return co_await tinyrt::to_thread(p, [n] { return n; });
                                   }(pool, i));
                               }
                               for (int v : co_await tinyrt::gather(std::move(ts))) sum += v;
                               co_return sum;
                           };
                           long sum = tinyrt::run(main());
                           return result{sum, loop_thread, all_elsewhere.load()};
                       })
                       .join();
        CHECK(r.sum == 19 * 20 / 2 + 49 * 50 / 2);
        CHECK(r.all_elsewhere);
    });
}

TEST_CASE("to_thread: when both workers of a pool run loops that offload to it, one is refused") {
    // Both tasks are inside their loops before either job can run (a start
    // gate). The first to_thread is accepted, its job waiting for the other
    // worker; the second finds every worker blocked and is refused; its loop
    // then ends, that worker is free again and runs the first job.
    test_support::within_limit("to_thread onto a 2-worker pool from loops on both workers", [] {
        tinyrt::pool pool{{.workers = 2}};
        std::latch both_running{2};
        auto offload = [&] {
            both_running.arrive_and_wait();
            int value = 0;
            std::string refused = offload_once(pool, value);
            return refused.empty() ? std::to_string(value) : refused;
        };
        auto h1 = pool.spawn(offload);
        auto h2 = pool.spawn(offload);
        std::string r1 = h1.join();
        std::string r2 = h2.join();
        CHECK(((r1 == "7") != (r2 == "7")));  // exactly one got its value
        const std::string& refused = r1 == "7" ? r2 : r1;
        CHECK(refused.rfind("tinyrt::to_thread: ", 0) == 0);
    });
}
