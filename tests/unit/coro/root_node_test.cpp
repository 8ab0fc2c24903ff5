// A root's node is its promise (task_node.hpp, task.hpp): the frame is
// found from the node, a small result lives in the node's result word, the
// loop lists only the roots nobody owns, and gather keeps its children in
// its vector of tasks. Each is checked where it could go wrong.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

struct alignas(16) wide {
    double a, b;
};

template <typename T>
task<T> give(T v) {
    co_return v;
}

// The frame ABI's promise offset, for results of every size and alignment.
template <typename T>
void frame_found_from_node(T v) {
    auto t = give<T>(std::move(v));
    tinyrt::detail::task_node* n = tinyrt::detail::task_access::node(t);
    REQUIRE(n != nullptr);
    auto h = t.release();
    CHECK(n->frame().address() == h.address());
    h.destroy();
}

task<int> sleep_then(int v, int& cancelled) {
    try {
        co_await tinyrt::sleep_for(1h);
    } catch (const tinyrt::cancelled_error&) {
        ++cancelled;
        throw;
    }
    co_return v;
}

task<int> gather_sleepers(int& cancelled) {
    std::vector<task<int>> ts;
    for (int i = 0; i < 3; ++i) ts.push_back(sleep_then(i, cancelled));
    auto r = co_await tinyrt::gather(std::move(ts));
    co_return static_cast<int>(r.size());
}

}  // namespace

TEST_CASE("root node: the frame is 16 bytes before the node, whatever the result type") {
    frame_found_from_node<char>('x');
    frame_found_from_node<int>(1);
    frame_found_from_node<double>(2.5);
    frame_found_from_node<wide>(wide{1, 2});
    frame_found_from_node<std::string>(std::string(100, 's'));
    frame_found_from_node<std::unique_ptr<int>>(std::make_unique<int>(3));
}

TEST_CASE("root node: results in the node's word and after it reach their awaiters") {
    const auto before = tinyrt::detail::frame_live_blocks();
    auto main = []() -> task<int> {
        auto c = tinyrt::create_task(give<char>('a'));
        auto w = tinyrt::create_task(give<wide>(wide{1.5, 2.5}));
        auto s = tinyrt::create_task(give<std::string>(std::string(64, 'q')));
        auto p = tinyrt::create_task(give<std::unique_ptr<int>>(std::make_unique<int>(7)));
        // Finished and never awaited: the handle's release destroys the
        // unique_ptr kept in the node's result word (ASan checks the leak).
        auto dropped = tinyrt::create_task(give<std::unique_ptr<int>>(std::make_unique<int>(8)));
        co_await tinyrt::sleep_for(0ms);
        CHECK(dropped.done());
        const wide got = co_await w;
        CHECK(got.a == 1.5);
        CHECK(got.b == 2.5);
        CHECK((co_await s).size() == 64);
        CHECK(*(co_await p) == 7);
        co_return co_await c;
    };
    CHECK(tinyrt::run(main()) == 'a');
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("root node: run() reaches an unowned task's gather children through it at the end") {
    // The gather's children are owned, not listed: run() cancels the
    // detached task that gathers them, which cancels them in turn, and waits
    // for all of them.
    const auto before = tinyrt::detail::frame_live_blocks();
    int cancelled = 0;
    auto main = [&]() -> task<int> {
        tinyrt::create_task(gather_sleepers(cancelled)).detach();
        co_await tinyrt::sleep_for(0ms);  // the children sleep now
        co_return 0;
    };
    tinyrt::run(main());
    CHECK(cancelled == 3);
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("root node: a gather never awaited frees its tasks, one awaited frees its children") {
    const auto before = tinyrt::detail::frame_live_blocks();
    auto main = []() -> task<int> {
        int unused = 0;
        {
            std::vector<task<int>> ts;
            for (int i = 0; i < 4; ++i) ts.push_back(sleep_then(i, unused));
            auto never = tinyrt::gather(std::move(ts));  // not awaited: nothing starts
        }
        std::vector<task<int>> ts;
        for (int i = 0; i < 4; ++i) ts.push_back(give<int>(i));
        auto r = co_await tinyrt::gather(std::move(ts));
        co_return r[3] + unused;
    };
    CHECK(tinyrt::run(main()) == 3);
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}
