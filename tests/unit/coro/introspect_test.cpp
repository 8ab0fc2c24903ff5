// detail::describe(event_loop): the loop's state and counts, read from
// another thread while the loop runs. Every case waits for a condition on
// the report (never for a time), under a watchdog.
#include "tinyrt/coro/detail/introspect.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <string>
#include <thread>

#include "support/within_limit.hpp"
#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

template <typename Pred>
std::string wait_for_report(const tinyrt::event_loop& loop, Pred pred) {
    for (;;) {
        std::string r = tinyrt::detail::describe(loop);
        if (pred(r)) return r;
        std::this_thread::yield();
    }
}

bool has(const std::string& report, const char* part) {
    return report.find(part) != std::string::npos;
}

task<void> sleep_long() {
    co_await tinyrt::sleep_for(24h);
}

// Sleeps until another thread's post cancels the sleeper; `handle` lets
// that post find it.
task<int> sleep_until_cancelled(std::atomic<tinyrt::task_handle<void>*>& handle) {
    auto h = tinyrt::create_task(sleep_long());
    handle.store(&h);
    try {
        co_await h;
    } catch (const tinyrt::cancelled_error&) {
        co_return 1;
    }
    co_return 0;
}

task<int> block_on(std::latch& entered, std::latch& release) {
    entered.count_down();
    release.wait();  // blocks the loop thread itself, on purpose
    co_return 2;
}

}  // namespace

TEST_CASE("describe: a loop awaiting a long sleep is parked with one timer") {
    test_support::within_limit("parked loop", [] {
        tinyrt::event_loop loop;
        CHECK(has(tinyrt::detail::describe(loop), ": stopped ready=0 timers=0"));
        std::atomic<tinyrt::task_handle<void>*> handle{nullptr};
        int result = -1;
        std::thread runner([&] { result = tinyrt::run_on(loop, sleep_until_cancelled(handle)); });
        std::string r = wait_for_report(
            loop, [](const std::string& s) { return has(s, ": parked ") && has(s, " timers=1 "); });
        CHECK(has(r, " ready=0 "));
        CHECK(has(r, " fd_waits=0 "));
        CHECK(has(r, " posted=0 "));
        loop.post([&] { handle.load()->cancel(); });
        runner.join();
        CHECK(result == 1);
        r = tinyrt::detail::describe(loop);
        CHECK(has(r, ": stopped ready=0 timers=0 "));
        CHECK(has(r, " posted=0 "));
    });
}

TEST_CASE("describe: work posted to a stopped loop is counted until it runs") {
    test_support::within_limit("posted count", [] {
        tinyrt::event_loop loop;
        int ran = 0;
        loop.post([&] { ++ran; });
        loop.post([&] { ++ran; });
        CHECK(has(tinyrt::detail::describe(loop), " posted=2 "));
        std::latch entered{1}, release{1};
        std::thread runner([&] { CHECK(tinyrt::run_on(loop, block_on(entered, release)) == 2); });
        entered.wait();
        // The posts ran in the step before the coroutine's batch.
        std::string r = tinyrt::detail::describe(loop);
        CHECK(has(r, ": running "));
        CHECK(has(r, " posted=0 "));
        release.count_down();
        runner.join();
        CHECK(ran == 2);
    });
}
