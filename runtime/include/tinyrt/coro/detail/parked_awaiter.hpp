// The base of every awaiter that parks its root at one place and is woken
// from there: wait_ready (an fd), async_mutex::lock (the mutex's queue),
// to_thread (a pool job); sleep_for parks at its timer instead (sleep.hpp).
// It holds the cancel hook and the three steps they share:
//   park   await_suspend: park the running root here, unless a cancellation
//          is pending (then `cancelled` is set and the awaiter returns
//          suspend_to_cancel without registering anything);
//   wake   the event won: the root is ready again, and its await returns;
//   cancel the hook's cancel(), after the awaiter unregistered itself:
//          the cancellation won, and the await reports cancelled_error.
// Either wake or cancel happens, never both: each first takes the awaiter
// out of its place (timer heap, fd slot, mutex queue), on the loop thread,
// and the loser finds it gone (or, for to_thread, the cancel is recorded
// and delivered when the job returns).
#pragma once

#include <coroutine>
#include <cstdint>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

struct parked_awaiter : cancel_hook {
    explicit parked_awaiter(void (*on_cancel)(cancel_hook*) noexcept) noexcept {
        this->cancel = on_cancel;
    }
    parked_awaiter(const parked_awaiter&) = delete;
    parked_awaiter& operator=(const parked_awaiter&) = delete;

    // False if a cancellation was pending: the awaiter then reports it.
    bool park(loop_core& loop, std::coroutine_handle<> h) noexcept {
        if (!loop.park(h, this)) {
            cancelled = true;
            return false;
        }
        node = loop.current_task();
        return true;
    }
    void wake() noexcept { loop_core::running()->wake(node); }
    void wake_cancelled() noexcept {
        cancelled = true;
        loop_core::running()->deliver_cancel(node);
    }
    void throw_if_cancelled() const {
        if (cancelled) TINYRT_THROW(cancelled_error{});
    }

    // From park on, the parked root.
    task_node* node = nullptr;
    bool cancelled = false;
};

}  // namespace tinyrt::detail
