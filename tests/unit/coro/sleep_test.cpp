// sleep_for / sleep_until and the timer heap: never early, FIFO for equal
// deadlines, cancellation, many sleepers, the loop sleeps when idle.
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

TEST_CASE("sleep: a sleep never ends early") {
    auto main = []() -> tinyrt::task<void> {
        for (auto d : {1ms, 3ms, 5ms}) {
            const auto start = clk::now();
            co_await tinyrt::sleep_for(d);
            CHECK(clk::now() - start >= d);
        }
        const auto target = clk::now() + 2ms;
        co_await tinyrt::sleep_until(target);
        CHECK(clk::now() >= target);
    };
    tinyrt::run(main());
}

TEST_CASE("sleep: equal deadlines fire in the order they were set") {
    std::vector<int> order;
    auto main = [&]() -> tinyrt::task<void> {
        const auto when = clk::now() + 2ms;
        std::vector<tinyrt::task_handle<void>> hs;
        for (int i = 0; i < 50; ++i) {
            hs.push_back(tinyrt::create_task(
                [](int id, clk::time_point t, std::vector<int>& out) -> tinyrt::task<void> {
                    co_await tinyrt::sleep_until(t);
                    out.push_back(id);
                }(i, when, order)));
        }
        for (auto& h : hs) co_await h;
    };
    tinyrt::run(main());
    REQUIRE(order.size() == 50);
    for (int i = 0; i < 50; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("sleep: earlier deadlines wake first, whatever the order they were set") {
    // The deadlines share one base instant, so their order does not depend
    // on how long the loop takes to start each task.
    std::vector<int> order;
    const auto base = clk::now();
    auto sleeper = [base](int ms, std::vector<int>& out) -> tinyrt::task<void> {
        co_await tinyrt::sleep_until(base + std::chrono::milliseconds(ms));
        out.push_back(ms);
    };
    auto main = [&]() -> tinyrt::task<void> {
        auto a = tinyrt::create_task(sleeper(9, order));
        auto b = tinyrt::create_task(sleeper(1, order));
        auto c = tinyrt::create_task(sleeper(5, order));
        co_await a;
        co_await b;
        co_await c;
    };
    tinyrt::run(main());
    CHECK(order == std::vector<int>{1, 5, 9});
}

TEST_CASE("sleep: a cancelled sleeper wakes with cancelled_error that its awaiter sees") {
    auto main = []() -> tinyrt::task<void> {
        const auto start = clk::now();
        auto h = tinyrt::create_task([]() -> tinyrt::task<int> {
            co_await tinyrt::sleep_for(1h);
            co_return 1;
        }());
        co_await tinyrt::sleep_for(1ms);  // let it start sleeping
        CHECK(h.cancel());
        CHECK_THROWS_AS(co_await h, tinyrt::cancelled_error);
        CHECK(h.cancelled());
        CHECK_FALSE(h.cancel());  // already finished
        CHECK(clk::now() - start < 10min);
    };
    tinyrt::event_loop loop;
    tinyrt::run_on(loop, main());
    CHECK(loop.stats().timers_cancelled == 1);
}

TEST_CASE("sleep: 100,000 concurrent sleeps all complete, then the loop sleeps") {
    int woke = 0;
    auto sleeper = [](int& count) -> tinyrt::task<void> {
        co_await tinyrt::sleep_for(1ms);
        ++count;
    };
    auto main = [&]() -> tinyrt::task<void> {
        std::vector<tinyrt::task_handle<void>> hs;
        hs.reserve(100'000);
        for (int i = 0; i < 100'000; ++i) hs.push_back(tinyrt::create_task(sleeper(woke)));
        for (auto& h : hs) co_await h;
        // Nothing ready: one long sleep must be one blocking wait, not a spin.
        co_await tinyrt::sleep_for(20ms);
    };
    tinyrt::event_loop loop;
    tinyrt::run_on(loop, main());
    CHECK(woke == 100'000);
    CHECK(loop.stats().timers_fired == 100'001);
    // Each blocking epoll_wait is one wake-up; a spinning loop would make
    // thousands during the 20 ms sleep.
    CHECK(loop.stats().wakeups < 50);
}
