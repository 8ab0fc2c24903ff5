// event_loop::post with callables of any type: move-only ones, run once on
// the loop thread in posting order, destroyed after running, and destroyed
// without running when posted after the loop's last run.
#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include "tinyrt/coro.hpp"

namespace {

// Counts its live copies, so that a test can tell a callable was destroyed.
struct counted {
    explicit counted(int& n) : live(&n) { ++n; }
    counted(const counted& o) : live(o.live) { ++*live; }
    counted(counted&& o) noexcept : live(o.live) { ++*live; }
    ~counted() { --*live; }
    int* live;
};

tinyrt::task<std::vector<int>> post_from_another_thread() {
    tinyrt::event_loop& loop = *tinyrt::event_loop::current();
    std::vector<int> order;
    tinyrt::async_mutex done;
    co_await done.lock();
    tinyrt::loop_keep_alive alive = loop.keep_alive();
    std::thread poster([&order, &done, ka = std::move(alive)]() mutable {
        auto value = std::make_unique<int>(1);
        ka.post([&order, v = std::move(value)] { order.push_back(*v); });  // move-only
        ka.post([&order] { order.push_back(2); });
        ka.post([&order, &done] {
            order.push_back(3);
            done.unlock();
        });
        ka.reset();
    });
    co_await done.lock();  // the third post unlocks it
    done.unlock();
    poster.join();
    co_return order;
}

// Posts a counted callable from the loop thread and waits until it ran.
tinyrt::task<int> post_counted(int& live, bool& ran) {
    tinyrt::event_loop::current()->post([c = counted(live), &ran] { ran = true; });
    // Each step runs what was posted before it looks at timers, so one round
    // suffices; the bound only keeps a broken loop from spinning.
    for (int i = 0; i < 100 && !ran; ++i) co_await tinyrt::sleep_for(std::chrono::nanoseconds(0));
    co_return 0;
}

}  // namespace

TEST_CASE("post: move-only callables run once each, in posting order, on the loop thread") {
    CHECK(tinyrt::run(post_from_another_thread()) == std::vector<int>{1, 2, 3});
}

TEST_CASE("post: the callable is destroyed after it ran, or with the loop if it never ran") {
    int live = 0;
    {
        tinyrt::event_loop loop;
        bool ran = false;
        (void)tinyrt::run_on(loop, post_counted(live, ran));
        CHECK(ran);
        CHECK(live == 0);
        loop.post([c = counted(live)] {});  // after the last run: never runs
        CHECK(live == 1);
    }
    CHECK(live == 0);
}
