// async_mutex: a race without threads at an await point, the fix, FIFO
// hand-off, cancellation of a waiter.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <vector>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;

namespace {

tinyrt::task<int> inc(int x) {
    co_await tinyrt::sleep_for(0ms);  // the await point where others run
    co_return x + 1;
}

tinyrt::task<void> bump_unlocked(std::array<int, 4>& l) {
    for (auto& v : l) v = co_await inc(v);
}

tinyrt::task<void> bump_locked(std::array<int, 4>& l, tinyrt::async_mutex& m) {
    auto guard = co_await m.scoped_lock();
    for (auto& v : l) v = co_await inc(v);
}

int total(const std::array<int, 4>& l) {
    return l[0] + l[1] + l[2] + l[3];
}

}  // namespace

TEST_CASE("async_mutex: without it updates are lost at the await point; with it none are") {
    std::array<int, 4> racy{};
    std::array<int, 4> safe{};
    auto main = [&]() -> tinyrt::task<void> {
        tinyrt::async_mutex m;
        std::vector<tinyrt::task<void>> a, b;
        for (int i = 0; i < 100; ++i) {
            a.push_back(bump_unlocked(racy));
            b.push_back(bump_locked(safe, m));
        }
        co_await tinyrt::gather(std::move(a));
        co_await tinyrt::gather(std::move(b));
        CHECK_FALSE(m.is_locked());
    };
    tinyrt::run(main());
    CHECK(total(racy) < 400);
    CHECK(total(safe) == 400);
}

TEST_CASE("async_mutex: waiters get it in FIFO order") {
    std::vector<int> order;
    auto main = [&]() -> tinyrt::task<void> {
        tinyrt::async_mutex m;
        co_await m.lock();
        std::vector<tinyrt::task_handle<void>> hs;
        for (int i = 0; i < 10; ++i) {
            hs.push_back(tinyrt::create_task(
                [](int id, tinyrt::async_mutex& mx, std::vector<int>& out) -> tinyrt::task<void> {
                    co_await mx.lock();
                    out.push_back(id);
                    mx.unlock();
                }(i, m, order)));
        }
        co_await tinyrt::sleep_for(1ms);  // all queued
        m.unlock();
        for (auto& h : hs) co_await h;
    };
    tinyrt::run(main());
    REQUIRE(order.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("async_mutex: a cancelled waiter leaves the queue and never gets the mutex") {
    auto main = []() -> tinyrt::task<void> {
        tinyrt::async_mutex m;
        bool got = false;
        co_await m.lock();
        auto h = tinyrt::create_task([](tinyrt::async_mutex& mx, bool& g) -> tinyrt::task<void> {
            co_await mx.lock();
            g = true;
            mx.unlock();
        }(m, got));
        co_await tinyrt::sleep_for(1ms);
        h.cancel();
        CHECK_THROWS_AS(co_await h, tinyrt::cancelled_error);
        CHECK_FALSE(got);
        m.unlock();
        CHECK_FALSE(m.is_locked());
        CHECK(m.try_lock());
        m.unlock();
    };
    tinyrt::run(main());
}
