// tinyrt::sleep_for / sleep_until: asyncio.sleep for coroutines.
//
//   co_await tinyrt::sleep_for(10ms);
//
// The awaiter is the timer: its timer_entry, in the sleeping frame, is linked
// into the loop's timer queue while the task sleeps, so a sleep allocates
// nothing (timer_queue.hpp). It is also where the root is parked, and it
// holds no function pointer: 32 bytes in the frame.
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
#include "tinyrt/coro/detail/timer_queue.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/chrono.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

// The timer is the parked hook (loop_core::sleep_hook). Its words:
//   deadline  the duration (sleep_for) or the deadline, until the await;
//             the deadline while queued; once it has left the queue,
//             whether the sleep was cancelled (1) or ended (0), set by the
//             loop (fire_timers, cancel_sleep) or by a cancelled park
//   what      1 if the deadline is a duration, until the await; from the
//             park on, the parked root's node | 1 (timer_entry)
class sleep_awaiter : private detail::timer_entry {
public:
    explicit sleep_awaiter(std::int64_t ns, bool relative) noexcept {
        this->deadline = ns;
        this->what = relative ? 1 : 0;
    }
    // Destroyed while queued only when a cancelled chain is destroyed
    // (builds without exceptions): take the timer out of the queue.
    ~sleep_awaiter() {
        if (queued()) detail::loop_core::running()->cancel_timer(this);
    }
    sleep_awaiter(const sleep_awaiter&) = delete;
    sleep_awaiter& operator=(const sleep_awaiter&) = delete;

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        detail::loop_core& loop = detail::loop_for("sleep_for");
        const std::int64_t at =
            what != 0 ? detail::deadline_after(detail::loop_core::now_ns(), deadline) : deadline;
        if (!loop.park(h, detail::loop_core::sleep_hook(this))) {
            deadline = 1;  // cancelled
            return detail::suspend_to_cancel;
        }
        what = reinterpret_cast<std::uintptr_t>(loop.current_task()) | 1;
        loop.add_timer(this, at);
        return true;
    }
    void await_resume() const {
        if (deadline != 0) TINYRT_THROW(cancelled_error{});
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
