// The words a root's state shares to stay small (task_node.hpp, task.hpp,
// parked_awaiter.hpp): each pair is exercised where the two uses meet.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

// Sleeps until `at`, then reaches a second await, where a cancellation
// requested meanwhile is delivered.
task<int> wake_then_await(std::chrono::steady_clock::time_point at) {
    co_await tinyrt::sleep_until(at);
    co_await tinyrt::sleep_for(0ms);
    co_return 1;
}

task<int> throws_nested() {
    throw std::runtime_error("nested");
    co_return 0;
}

// Takes its nested task's error (kept in the nested promise), then fails
// itself (kept in its node).
task<int> root_fails_after_nested_error(std::string& seen) {
    try {
        co_await throws_nested();
    } catch (const std::runtime_error& e) {
        seen = e.what();
    }
    throw std::logic_error("root");
    co_return 0;
}

}  // namespace

TEST_CASE("cancel: a task woken and queued behind another ready task is cancelled, not misread") {
    // next/hook share a word: a ready task's word is its ready link (here the
    // next task of the same batch), which cancel() must not call as a hook.
    auto main = []() -> task<int> {
        const auto at = std::chrono::steady_clock::now() + 2ms;
        auto first = tinyrt::create_task(wake_then_await(at));
        auto middle = tinyrt::create_task(wake_then_await(at));
        auto last = tinyrt::create_task(wake_then_await(at));
        co_await tinyrt::sleep_for(0ms);  // all three now sleep until `at`
        // Same deadline, set after theirs: this task wakes last in the same
        // step, so the three are ready (queued) and not yet resumed here.
        co_await tinyrt::sleep_until(at);
        CHECK(middle.cancel());  // its ready link points at `last`
        CHECK(last.cancel());    // the tail of the batch: null link
        int cancelled = 0;
        CHECK(co_await first == 1);
        for (auto* h : {&middle, &last}) {
            try {
                co_await *h;
            } catch (const tinyrt::cancelled_error&) {
                ++cancelled;
            }
            CHECK(h->cancelled());
        }
        co_return cancelled;
    };
    CHECK(tinyrt::run(main()) == 2);
}

TEST_CASE(
    "task errors: a nested task's error in its promise, a root's in its node, both delivered") {
    const auto before = tinyrt::detail::frame_live_blocks();
    std::string nested_seen, root_seen;
    auto main = [&]() -> task<int> {
        auto h = tinyrt::create_task(root_fails_after_nested_error(nested_seen));
        co_await tinyrt::sleep_for(0ms);
        CHECK(h.done());
        CHECK_FALSE(h.cancelled());
        try {
            co_await h;
        } catch (const std::logic_error& e) {
            root_seen = e.what();
        }
        // Taken once; the node still holds it until the handle goes.
        co_return 0;
    };
    tinyrt::run(main());
    CHECK(nested_seen == "nested");
    CHECK(root_seen == "root");
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("task errors: a failed root in a gather reports its own error, not its children's") {
    std::string seen;
    auto main = [&]() -> task<int> {
        std::string nested;
        try {
            co_await tinyrt::gather(root_fails_after_nested_error(nested), wake_then_await({}));
        } catch (const std::logic_error& e) {
            seen = e.what();
        }
        CHECK(nested == "nested");
        co_return 0;
    };
    tinyrt::run(main());
    CHECK(seen == "root");
}

TEST_CASE("sleep_until: a deadline whose value is 1 ns still ends normally") {
    // A sleep keeps "cancelled" in its timer's deadline once the timer has
    // left the queue; a deadline of 1 (true, read as a flag) must have been
    // reset by the expiry.
    auto main = []() -> task<int> {
        co_await tinyrt::sleep_until(std::chrono::steady_clock::time_point(1ns));
        co_await tinyrt::sleep_for(1ns);
        co_return 3;
    };
    CHECK(tinyrt::run(main()) == 3);
}

TEST_CASE("sleep_for: cancelled while parked, and before parking, reports cancelled_error") {
    auto sleeper = [](int& outcomes) -> task<int> {
        try {
            co_await tinyrt::sleep_for(1h);  // cancelled while parked
        } catch (const tinyrt::cancelled_error&) {
            ++outcomes;
        }
        co_return 0;
    };
    auto main = [&]() -> task<int> {
        int outcomes = 0;
        auto h = tinyrt::create_task(sleeper(outcomes));
        co_await tinyrt::sleep_for(0ms);
        CHECK(h.cancel());
        co_await h;
        // Requested before the sleep parks: reported at once.
        auto early = tinyrt::create_task(sleeper(outcomes));
        CHECK(early.cancel());
        co_await early;
        co_return outcomes;
    };
    CHECK(tinyrt::run(main()) == 2);
}
