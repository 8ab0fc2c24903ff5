// tinyrt::sleep_for / sleep_until: asyncio.sleep for coroutines.
//
//   co_await tinyrt::sleep_for(10ms);
//
// The awaiter is the timer: its timer_node, in the sleeping frame, is linked
// into the loop's timer queue while the task sleeps, so a sleep allocates
// nothing (timer_queue.hpp).
//
// Guarantees: a sleep never ends early (the deadline is taken from the
// steady clock when the await suspends, and the loop fires a timer only once
// the clock has reached it); sleeps with equal deadlines end in the order
// they started; sleep_for(0) (or a past deadline) still yields to the other
// ready tasks, like asyncio.sleep(0).
//
// Cancel vs fire -- only one can win: both run on the loop thread and both
// first take the node out of the queue; the timer fires only if it is still
// queued when its deadline is processed, and cancel (the hook) only acts on
// a parked task, whose timer has therefore not fired.
#pragma once

#include <coroutine>
#include <cstdint>

#include "tinyrt/coro/detail/deadline.hpp"
#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/parked_awaiter.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/chrono.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

// The timer is the parked hook: one callback for both events (timer_node).
class sleep_awaiter : private detail::basic_parked_awaiter<detail::timer_node> {
public:
    explicit sleep_awaiter(std::int64_t ns, bool relative) noexcept
        : basic_parked_awaiter(&on_event) {
        this->deadline = ns;  // a duration (sleep_for) or a deadline, until the await
        this->arg = relative ? 1 : 0;
    }
    // Destroyed while queued only when a cancelled chain is destroyed
    // (builds without exceptions): take the timer out of the queue.
    ~sleep_awaiter() {
        if (queued()) detail::loop_core::running()->cancel_timer(this);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        detail::loop_core& loop = detail::loop_for("sleep_for");
        const std::int64_t at =
            arg != 0 ? detail::deadline_after(detail::loop_core::now_ns(), deadline) : deadline;
        if (!park(loop, h)) return detail::suspend_to_cancel;  // arg is now the node
        loop.add_timer(this, at);
        return true;
    }
    void await_resume() const { throw_if_cancelled(); }

private:
    // Expiry (the loop took the timer out) or cancellation of the task
    // (the timer is still queued): see timer_node.
    static void on_event(detail::cancel_hook* self) noexcept {
        auto* me = &static_cast<sleep_awaiter&>(static_cast<detail::timer_node&>(*self));
        if (!me->queued()) {
            me->wake();
            return;
        }
        detail::loop_core::running()->cancel_timer(me);
        me->wake_cancelled();
    }
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
