// The base of every awaiter that parks its root at one place and is woken
// from there: sleep_for (a timer), wait_ready (an fd), async_mutex::lock (the
// mutex's queue), to_thread (a pool job). It holds the cancel hook and the
// three steps they share:
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
#include <type_traits>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/detail/timer_queue.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

// Where an awaiter keeps "the await reports cancelled_error". A bool of its
// own, except on a timer_node (sleep_for): there it is the timer's
// `deadline`, which nothing reads once the timer has left the queue (fired,
// cancelled, or never queued because the park failed), and the flag is only
// written and read after that. 8 bytes less in every sleeping frame: the
// bool would pad the awaiter to 48.
template <typename Hook>
struct parked_cancel_flag {
    bool cancelled = false;
    bool get(const Hook&) const noexcept { return cancelled; }
    void set(Hook&, bool v) noexcept { cancelled = v; }
};
struct no_parked_cancel_flag {
    static bool get(const timer_node& t) noexcept { return t.deadline != 0; }
    static void set(timer_node& t, bool v) noexcept { t.deadline = v ? 1 : 0; }
};

// `Hook` is the cancel_hook it parks with: cancel_hook itself, or one that
// is also its timer (timer_node, for sleep_for: one callback for both
// events, see timer_queue.hpp).
template <typename Hook>
struct basic_parked_awaiter : Hook {
    explicit basic_parked_awaiter(void (*on_cancel)(cancel_hook*) noexcept) noexcept {
        this->cancel = on_cancel;
    }
    basic_parked_awaiter(const basic_parked_awaiter&) = delete;
    basic_parked_awaiter& operator=(const basic_parked_awaiter&) = delete;

    // False if a cancellation was pending: the awaiter then reports it.
    bool park(loop_core& loop, std::coroutine_handle<> h) noexcept {
        if (!loop.park(h, this)) {
            flag_.set(*this, true);
            return false;
        }
        node = loop.current_task();
        return true;
    }
    void wake() noexcept {
        // A timer's flag is its dead deadline: it must be written on this
        // path too (a bool member is already false).
        if constexpr (!std::is_same_v<Flag, parked_cancel_flag<Hook>>) flag_.set(*this, false);
        loop_core::running()->wake(node);
    }
    void wake_cancelled() noexcept {
        flag_.set(*this, true);
        loop_core::running()->deliver_cancel(node);
    }
    bool cancelled() const noexcept { return flag_.get(*this); }
    void throw_if_cancelled() const {
        if (cancelled()) TINYRT_THROW(cancelled_error{});
    }

    // Small on purpose: it lives in every suspended frame. Before park, the
    // awaiter may keep one 64-bit argument of its own in `arg` (sleep_for:
    // whether its timer's deadline is a duration); from park on, `node` is
    // the parked root.
    union {
        std::int64_t arg;
        task_node* node = nullptr;
    };

private:
    using Flag = std::conditional_t<std::is_same_v<Hook, timer_node>, no_parked_cancel_flag,
                                    parked_cancel_flag<Hook>>;
    [[no_unique_address]] Flag flag_;
};

struct parked_awaiter : basic_parked_awaiter<cancel_hook> {
    using basic_parked_awaiter::basic_parked_awaiter;
};

}  // namespace tinyrt::detail
