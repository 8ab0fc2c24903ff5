// gather, when_any, wait_for: results in order, the first error after the
// others are cancelled, timeouts, and nothing left alive.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <vector>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

namespace {

tinyrt::task<int> g(int n, std::chrono::milliseconds d) {
    co_await tinyrt::sleep_for(d);
    co_return n + 1;
}

tinyrt::task<int> fail_after(std::chrono::milliseconds d) {
    co_await tinyrt::sleep_for(d);
    throw std::runtime_error("child failed");
}

// Counts how its body ended, to prove that gather cancelled or finished it.
struct outcome_counts {
    int finished = 0;
    int cancelled = 0;
};

tinyrt::task<int> counted_sleep(std::chrono::milliseconds d, outcome_counts& c) {
    try {
        co_await tinyrt::sleep_for(d);
    } catch (const tinyrt::cancelled_error&) {
        ++c.cancelled;
        throw;
    }
    ++c.finished;
    co_return 1;
}

}  // namespace

TEST_CASE("gather: a tuple of results, run concurrently") {
    auto main = []() -> tinyrt::task<void> {
        const auto start = clk::now();
        auto [a, b, c] = co_await tinyrt::gather(g(1, 20ms), g(2, 20ms), g(3, 20ms));
        const auto took = clk::now() - start;
        CHECK(a == 2);
        CHECK(b == 3);
        CHECK(c == 4);
        CHECK(took >= 20ms);
        CHECK(took < 55ms);  // concurrent: well under the 60 ms of three in a row
    };
    tinyrt::run(main());
}

TEST_CASE("gather: a vector of tasks gives a vector of results in order") {
    auto main = []() -> tinyrt::task<std::vector<int>> {
        std::vector<tinyrt::task<int>> ts;
        for (int i = 0; i < 100; ++i) ts.push_back(g(i, std::chrono::milliseconds(i % 7)));
        co_return co_await tinyrt::gather(std::move(ts));
    };
    const auto r = tinyrt::run(main());
    REQUIRE(r.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(r[static_cast<std::size_t>(i)] == i + 1);
}

TEST_CASE("gather: void tasks and an empty vector") {
    int ran = 0;
    auto main = [&]() -> tinyrt::task<void> {
        auto bump = [](int& r) -> tinyrt::task<void> {
            co_await tinyrt::sleep_for(1ms);
            ++r;
        };
        std::vector<tinyrt::task<void>> ts;
        for (int i = 0; i < 5; ++i) ts.push_back(bump(ran));
        co_await tinyrt::gather(std::move(ts));
        co_await tinyrt::gather(std::vector<tinyrt::task<void>>{});
        auto [x] = co_await tinyrt::gather(bump(ran));
        static_cast<void>(x);
    };
    tinyrt::run(main());
    CHECK(ran == 6);
}

TEST_CASE("gather: the first error propagates after the others are cancelled") {
    outcome_counts counts;
    const auto live_before = tinyrt::detail::frame_live_blocks();
    auto main = [&]() -> tinyrt::task<void> {
        const auto start = clk::now();
        std::vector<tinyrt::task<int>> ts;
        ts.push_back(counted_sleep(1ms, counts));  // finishes before the failure
        ts.push_back(fail_after(5ms));
        ts.push_back(counted_sleep(1h, counts));  // cancelled
        ts.push_back(counted_sleep(1h, counts));  // cancelled
        CHECK_THROWS_WITH_AS(co_await tinyrt::gather(std::move(ts)), "child failed",
                             std::runtime_error);
        CHECK(clk::now() - start < 10min);
        CHECK(counts.finished == 1);
        CHECK(counts.cancelled == 2);  // both finished their cancellation before gather rethrew
    };
    tinyrt::run(main());
    CHECK(tinyrt::detail::frame_live_blocks() == live_before);
}

TEST_CASE("gather: cancelling the awaiter cancels every child") {
    outcome_counts counts;
    auto main = [&]() -> tinyrt::task<void> {
        auto parent = tinyrt::create_task([](outcome_counts& c) -> tinyrt::task<void> {
            co_await tinyrt::gather(counted_sleep(1h, c), counted_sleep(1h, c));
        }(counts));
        co_await tinyrt::sleep_for(1ms);
        parent.cancel();
        CHECK_THROWS_AS(co_await parent, tinyrt::cancelled_error);
        CHECK(counts.cancelled == 2);
    };
    tinyrt::run(main());
}

TEST_CASE("when_any: the first to finish wins and the others are cancelled") {
    outcome_counts counts;
    auto main = [&]() -> tinyrt::task<void> {
        std::vector<tinyrt::task<int>> ts;
        ts.push_back(counted_sleep(1h, counts));
        ts.push_back(g(41, 2ms));
        ts.push_back(counted_sleep(1h, counts));
        auto [index, value] = co_await tinyrt::when_any(std::move(ts));
        CHECK(index == 1);
        CHECK(value == 42);
        CHECK(counts.cancelled == 2);
        auto r = co_await tinyrt::when_any(g(1, 30ms), g(2, 1ms));
        CHECK(r.index == 1);
        CHECK(r.value == 3);
    };
    tinyrt::run(main());
}

TEST_CASE("wait_for: a fast task gives its value, a slow one times out after being cancelled") {
    outcome_counts counts;
    auto main = [&]() -> tinyrt::task<void> {
        CHECK(co_await tinyrt::wait_for(g(1, 1ms), 1h) == 2);
        const auto start = clk::now();
        CHECK_THROWS_AS(co_await tinyrt::wait_for(counted_sleep(1h, counts), 5ms),
                        tinyrt::timeout_error);
        const auto took = clk::now() - start;
        CHECK(took >= 5ms);
        CHECK(took < 10min);
        CHECK(counts.cancelled == 1);
        // An error inside the time limit is the task's own.
        CHECK_THROWS_AS(co_await tinyrt::wait_for(fail_after(1ms), 1h), std::runtime_error);
    };
    tinyrt::event_loop loop;
    tinyrt::run_on(loop, main());
    // The fast wait's timer was cancelled, not fired.
    CHECK(loop.stats().timers_cancelled >= 1);
}
