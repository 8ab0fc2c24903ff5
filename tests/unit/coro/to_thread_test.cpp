// to_thread and post: results and errors come back from pool workers to the
// loop thread; several threads post at once; the loop keeps running other
// tasks meanwhile.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

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
