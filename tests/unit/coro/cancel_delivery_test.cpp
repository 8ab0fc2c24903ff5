// A cancellation that was requested reaches the cancelled task whatever the
// work it waited on returned: children that catch their cancelled_error and
// return a value, or that never reach an await, must not let the waiter
// carry on with their values. And run() ends even when a detached task keeps
// starting new work or awaits again after catching its cancellation.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

// What a waiter can be blocked on while it is cancelled.
enum class wait_kind { gather_tuple, gather_vector, when_any, wait_for, handle };

const char* name_of(wait_kind k) {
    switch (k) {
        case wait_kind::gather_tuple:
            return "gather(a, b)";
        case wait_kind::gather_vector:
            return "gather(vector)";
        case wait_kind::when_any:
            return "when_any";
        case wait_kind::wait_for:
            return "wait_for";
        case wait_kind::handle:
            return "co_await task_handle";
    }
    return "?";
}

// A child that swallows its cancellation and returns 7 anyway (allowed:
// errors.hpp says a task may catch it and return).
task<int> stubborn_child(int& started) {
    ++started;
    try {
        co_await tinyrt::sleep_for(1h);
    } catch (const tinyrt::cancelled_error&) {
    }
    co_return 7;
}

// A child that never reaches an await: cancellation cannot interrupt it.
task<int> instant_child(int& started) {
    ++started;
    co_return 7;
}

using child_fn = task<int> (*)(int&);

// Waits on two children through `kind`; returns their sum, or -1 if the
// await reported cancelled_error.
task<int> waiter(wait_kind kind, child_fn child, int& started) {
    try {
        switch (kind) {
            case wait_kind::gather_tuple: {
                auto [a, b] = co_await tinyrt::gather(child(started), child(started));
                co_return a + b;
            }
            case wait_kind::gather_vector: {
                std::vector<task<int>> ts;
                ts.push_back(child(started));
                ts.push_back(child(started));
                auto v = co_await tinyrt::gather(std::move(ts));
                co_return v[0] + v[1];
            }
            case wait_kind::when_any: {
                auto r = co_await tinyrt::when_any(child(started), child(started));
                co_return r.value;
            }
            case wait_kind::wait_for:
                co_return co_await tinyrt::wait_for(child(started), 1h);
            case wait_kind::handle: {
                auto h = tinyrt::create_task(child(started));
                co_return co_await h;
            }
        }
    } catch (const tinyrt::cancelled_error&) {
        co_return -1;
    }
    co_return -2;
}

// Cancels the waiter while it is parked on stubborn children.
task<int> cancel_while_parked(wait_kind kind) {
    int started = 0;
    auto h = tinyrt::create_task(waiter(kind, &stubborn_child, started));
    const int expected = kind == wait_kind::wait_for || kind == wait_kind::handle ? 1 : 2;
    while (started < expected) co_await tinyrt::sleep_for(0ms);  // every child is asleep now
    CHECK(h.cancel());
    co_return co_await h;
}

// Cancels the waiter before it runs: it then awaits children that never
// suspend, which finish with their value despite the cancellation.
task<int> cancel_before_it_waits(wait_kind kind) {
    int started = 0;
    auto h = tinyrt::create_task(waiter(kind, &instant_child, started));
    CHECK(h.cancel());  // ready, not yet run: delivered at its first await
    co_return co_await h;
}

// Starts new, never-suspending work forever (until a cancellation ends it).
task<void> spinner(wait_kind kind) {
    int started = 0;
    for (;;) {
        if (co_await waiter(kind, &instant_child, started) == -1) throw tinyrt::cancelled_error{};
    }
}

const wait_kind every_kind[] = {wait_kind::gather_tuple, wait_kind::gather_vector,
                                wait_kind::when_any, wait_kind::wait_for, wait_kind::handle};

}  // namespace

TEST_CASE(
    "cancel: a waiter cancelled while parked sees cancelled_error though its children return") {
    for (wait_kind k : every_kind) {
        CAPTURE(name_of(k));
        CHECK(tinyrt::run(cancel_while_parked(k)) == -1);
    }
}

TEST_CASE(
    "cancel: a waiter cancelled before it waits sees cancelled_error from children that never "
    "suspend") {
    for (wait_kind k : every_kind) {
        CAPTURE(name_of(k));
        CHECK(tinyrt::run(cancel_before_it_waits(k)) == -1);
    }
}

TEST_CASE("cancel: the children's values stay with a cancelled handle's task, not its waiter") {
    auto main = []() -> task<std::string> {
        int started = 0;
        auto inner = tinyrt::create_task(stubborn_child(started));
        auto outer = tinyrt::create_task(
            [](tinyrt::task_handle<int>& h) -> task<int> { co_return co_await h; }(inner));
        while (started < 1) co_await tinyrt::sleep_for(0ms);
        outer.cancel();
        std::string seen;
        try {
            co_await outer;
        } catch (const tinyrt::cancelled_error&) {
            seen = "cancelled";
        }
        // The awaited task returned 7 after catching; its result is still
        // in its own handle.
        CHECK(inner.done());
        CHECK(inner.result() == 7);
        co_return seen;
    };
    CHECK(tinyrt::run(main()) == "cancelled");
}

TEST_CASE("run: returns although a detached task keeps awaiting work that never suspends") {
    for (wait_kind k : every_kind) {
        CAPTURE(name_of(k));
        auto r = test_support::run_in_child([k] {
            auto main = [](wait_kind kind) -> task<int> {
                tinyrt::create_task(spinner(kind)).detach();
                co_await tinyrt::sleep_for(0ms);
                co_return 3;
            };
            return tinyrt::run(main(k)) == 3 ? 0 : 1;
        });
        CHECK_FALSE(r.hung);
        CHECK(r.exited_ok());
    }
}

TEST_CASE(
    "run: a task that catches its shutdown cancellation and awaits again is cancelled again") {
    auto r = test_support::run_in_child([] {
        auto cleanup_sleeper = []() -> task<void> {
            bool caught = false;
            try {
                co_await tinyrt::sleep_for(1h);
            } catch (const tinyrt::cancelled_error&) {
                caught = true;
            }
            if (caught) co_await tinyrt::sleep_for(1h);  // cancelled again: run() must still end
        };
        auto main = [&]() -> task<int> {
            tinyrt::create_task(cleanup_sleeper()).detach();
            co_await tinyrt::sleep_for(0ms);
            co_return 4;
        };
        return tinyrt::run(main()) == 4 ? 0 : 1;
    });
    CHECK_FALSE(r.hung);
    CHECK(r.exited_ok());
}
