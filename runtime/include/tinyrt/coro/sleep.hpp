// tinyrt::sleep_for / sleep_until: asyncio.sleep for coroutines.
//
//   co_await tinyrt::sleep_for(10ms);
//
// The awaiter is the timer: its timer_node sits in the loop's heap while the
// task sleeps, so a sleep allocates nothing.
//
// Guarantees: a sleep never ends early (the deadline is taken from the
// steady clock when the await suspends, and the loop fires a timer only once
// the clock has reached it); sleeps with equal deadlines end in the order
// they started; sleep_for(0) (or a past deadline) still yields to the other
// ready tasks, like asyncio.sleep(0).
//
// Cancel vs fire -- only one can win: both run on the loop thread and both
// first take the node out of the heap; the timer fires only if it is still
// queued when its deadline is processed, and cancel (the hook) only acts on
// a parked task, whose timer has therefore not fired.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>

#include "tinyrt/coro/deadline.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

class sleep_awaiter : private detail::cancel_hook, private detail::timer_node {
public:
    explicit sleep_awaiter(std::int64_t deadline_ns, bool relative) noexcept
        : when_(deadline_ns), relative_(relative) {
        this->cancel = &on_cancel;
        this->fire = &on_fire;
    }
    sleep_awaiter(const sleep_awaiter&) = delete;
    sleep_awaiter& operator=(const sleep_awaiter&) = delete;
    // Destroyed while queued only when a cancelled chain is destroyed
    // (builds without exceptions): take the timer out of the heap.
    ~sleep_awaiter() {
        if (queued()) event_loop::current()->cancel_timer(this);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        event_loop& loop = detail::loop_for("sleep_for");
        if (!loop.park(h, this)) {
            cancelled_ = true;
            return detail::suspend_to_cancel;
        }
        const std::int64_t deadline =
            relative_ ? detail::deadline_after(event_loop::now_ns(), when_) : when_;
        node_ = loop.current_task();  // when_ is not needed any more: same storage
        loop.add_timer(this, deadline);
        return true;
    }
    void await_resume() const {
        if (cancelled_) TINYRT_THROW(cancelled_error{});
    }

private:
    static void on_fire(detail::timer_node* self) noexcept {
        auto* me = &static_cast<sleep_awaiter&>(*self);
        me->node_->hook = nullptr;
        event_loop::current()->schedule(me->node_);
    }
    static void on_cancel(detail::cancel_hook* self) noexcept {
        auto* me = &static_cast<sleep_awaiter&>(*self);
        event_loop* loop = event_loop::current();
        loop->cancel_timer(me);
        me->cancelled_ = true;
        loop->deliver_cancel(me->node_);
    }

    // Small on purpose: it lives in every sleeping frame. Before the await
    // suspends, when_ holds the duration or absolute deadline (ns); after,
    // node_ holds the sleeping root.
    union {
        std::int64_t when_;
        detail::task_node* node_;
    };
    bool relative_;
    bool cancelled_ = false;
};

// Suspends the calling task for at least `d` (a negative or zero duration
// just yields). A duration too long for the clock (nanoseconds::max(),
// hours::max(), a thousand years) sleeps forever: until cancelled.
// Only inside a task run by the loop.
template <typename Rep, typename Period>
[[nodiscard]] sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d) {
    return sleep_awaiter{detail::wait_ns(d), true};
}

// Suspends the calling task until the steady clock reaches `t` (a time
// point past the clock's range: forever, until cancelled).
template <typename Duration>
[[nodiscard]] sleep_awaiter sleep_until(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    return sleep_awaiter{detail::saturating_ns(t.time_since_epoch()), false};
}

}  // namespace tinyrt
