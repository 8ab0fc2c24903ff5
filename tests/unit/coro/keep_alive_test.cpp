// Deadlock detection versus threads that will still post: a loop whose tasks
// all wait on something only another thread's post can release must keep
// running while that thread holds a keep-alive, and must still report a real
// deadlock once nothing can wake it.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

// The main task holds `m` and waits for it again; only the helper thread's
// post unlocks it. `post_it` false: the helper lets go without posting.
task<int> wait_for_foreign_unlock(bool post_it, std::thread& helper) {
    tinyrt::async_mutex m;
    co_await m.lock();
    tinyrt::loop_keep_alive alive = tinyrt::event_loop::current()->keep_alive();
    helper = std::thread([post_it, &m, ka = std::move(alive)]() mutable {
        // The delay gives a loop that ignored the keep-alive ample time to
        // reach its deadlock check; the correct outcome does not depend on it.
        std::this_thread::sleep_for(50ms);
        if (post_it) ka.post([&m] { m.unlock(); });
        ka.reset();
    });
    co_await m.lock();  // nothing on the loop can wake this: only the post
    m.unlock();
    co_return 1;
}

}  // namespace

TEST_CASE("keep_alive: a loop waiting for another thread's post is not a deadlock") {
    auto r = test_support::run_in_child([] {
        std::thread helper;
        const int v = tinyrt::run(wait_for_foreign_unlock(true, helper));
        helper.join();
        return v == 1 ? 0 : 1;
    });
    CHECK_FALSE(r.hung);
    CHECK(r.exited_ok());
    CHECK(r.err.find("deadlock") == std::string::npos);
}

TEST_CASE("keep_alive: released without a post, the real deadlock is still reported") {
    auto r = test_support::run_in_child([] {
        std::thread helper;
        tinyrt::run(wait_for_foreign_unlock(false, helper));
        helper.join();
    });
    CHECK_FALSE(r.hung);
    CHECK_FALSE(r.exited_ok());
    CHECK(r.err.find("tinyrt: deadlock") != std::string::npos);
}

TEST_CASE("keep_alive: moves transfer the promise; reset is idempotent") {
    auto main = []() -> task<bool> {
        tinyrt::loop_keep_alive a = tinyrt::event_loop::current()->keep_alive();
        tinyrt::loop_keep_alive b = std::move(a);
        const bool moved = !a.valid() && b.valid();
        b.reset();
        b.reset();
        co_return moved && !b.valid();
    };
    CHECK(tinyrt::run(main()));
}
