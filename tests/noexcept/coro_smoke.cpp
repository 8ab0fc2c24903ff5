// The coroutine loop without exceptions or RTTI: run, create_task, gather,
// sleep, async_mutex, to_thread, and cancellation, which here destroys the
// cancelled chain (destructors run) instead of throwing cancelled_error.
#include <chrono>
#include <vector>

#include "check.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"

using namespace std::chrono_literals;

namespace {

struct counted {
    int* live;
    explicit counted(int* l) : live(l) { ++*live; }
    ~counted() { --*live; }
    counted(const counted&) = delete;
    counted& operator=(const counted&) = delete;
};

tinyrt::task<int> g(int n) {
    co_await tinyrt::sleep_for(1ms);
    co_return n + 1;
}

tinyrt::task<void> sleeps_forever(int* live) {
    counted c{live};
    co_await tinyrt::sleep_for(1h);
}

tinyrt::task<int> inc_locked(tinyrt::async_mutex& m, int& shared) {
    co_await m.lock();
    int v = shared;
    co_await tinyrt::sleep_for(0ms);
    shared = v + 1;
    m.unlock();
    co_return 0;
}

tinyrt::task<int> amain(tinyrt::pool& pool, int* live) {
    int a = co_await g(1);
    NOEXCEPT_CHECK(a == 2);

    auto t = tinyrt::create_task(g(10));
    NOEXCEPT_CHECK(co_await t == 11);

    auto [x, y] = co_await tinyrt::gather(g(1), g(2));
    NOEXCEPT_CHECK(x == 2 && y == 3);

    tinyrt::async_mutex m;
    int shared = 0;
    std::vector<tinyrt::task<int>> ts;
    for (int i = 0; i < 50; ++i) ts.push_back(inc_locked(m, shared));
    co_await tinyrt::gather(std::move(ts));
    NOEXCEPT_CHECK(shared == 50);

    NOEXCEPT_CHECK(co_await tinyrt::wait_for(g(5), 1h) == 6);
    NOEXCEPT_CHECK(co_await tinyrt::to_thread(pool, [] { return 7; }) == 7);

    // Cancellation destroys the chain: its locals' destructors run.
    auto victim = tinyrt::create_task(sleeps_forever(live));
    co_await tinyrt::sleep_for(1ms);
    NOEXCEPT_CHECK(*live == 1);
    NOEXCEPT_CHECK(victim.cancel());
    co_await tinyrt::sleep_for(1ms);  // the loop destroys it at its next step
    NOEXCEPT_CHECK(victim.done() && victim.cancelled());
    NOEXCEPT_CHECK(*live == 0);

    // A detached task still sleeping when amain returns is cancelled by run.
    tinyrt::create_task(sleeps_forever(live)).detach();
    co_return 42;
}

}  // namespace

int main() {
    const auto frames_before = tinyrt::detail::frame_live_blocks();
    int live = 0;
    {
        tinyrt::pool pool{{.workers = 2}};
        NOEXCEPT_CHECK(tinyrt::run(amain(pool, &live)) == 42);
    }
    NOEXCEPT_CHECK(live == 0);
    NOEXCEPT_CHECK(tinyrt::detail::frame_live_blocks() == frames_before);
    return 0;
}
