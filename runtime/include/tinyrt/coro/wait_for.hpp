// tinyrt::wait_for: asyncio.wait_for. Runs a task with a time limit.
//
//   try { int v = co_await tinyrt::wait_for(slow(), 500ms); }
//   catch (const tinyrt::timeout_error&) { ... }
//
// The task starts as a root when wait_for is awaited, and a timer is set
// (the awaiter's timer_entry, in the awaiting frame).
// Race between completion and timeout -- only one can win, and the first
// one the loop processes does (both run on the loop thread):
//   * completion first: on_done removes the timer from the queue (so it can
//     no longer fire) and resumes the awaiter with the task's result;
//   * timer first: on_fire marks `timed_out` and cancels the task; the
//     awaiter resumes only when the task has finished its cancellation. If
//     it ended with cancelled_error the awaiter gets timeout_error; if it
//     ended otherwise anyway (it caught the cancellation and returned, or
//     failed), that outcome is what the awaiter gets.
// Cancelling the awaiter removes the timer and cancels the task; once the
// task has finished the awaiter sees cancelled_error, whatever the task
// ended with. Without exceptions a timeout cannot be reported as
// an error value: it ends the program with "tinyrt: wait_for timed out".
#pragma once

#include <coroutine>
#include <cstdint>
#include <utility>

#include "tinyrt/coro/detail/deadline.hpp"
#include "tinyrt/coro/detail/forwarding_awaiter.hpp"
#include "tinyrt/coro/detail/timer_queue.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/detail/chrono.hpp"

namespace tinyrt {
namespace detail {

template <typename T>
class wait_for_awaiter : private forwarding_awaiter<wait_for_awaiter<T>>, private timer_entry {
    using base = forwarding_awaiter<wait_for_awaiter<T>>;
    friend base;

public:
    wait_for_awaiter(task<T>&& t, std::int64_t timeout_ns) : base(&finished), task_(std::move(t)) {
        this->deadline = timeout_ns;  // the timeout, until the await sets the timer
        this->what = reinterpret_cast<std::uintptr_t>(&timeout_action);
    }
    ~wait_for_awaiter() {
        if (queued()) loop_->cancel_timer(this);
        if (node_ != nullptr) node_->release();
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        loop_ = &loop_for("wait_for");
        const std::int64_t timeout_ns = this->deadline;
        node_ = spawn_task(*loop_, std::move(task_), this);
        // Cancelled already: no timer, just wait for the task.
        if (!this->park_waiter(*loop_, h) || this->cancel_forwarded()) return true;
        loop_->add_timer(this, deadline_after(loop_core::now_ns(), timeout_ns));
        return true;
    }
    T await_resume() {
        // The awaiter's own cancellation wins over the task's outcome.
        this->throw_if_cancelled();
        if (timed_out_ && node_->has(task_cancelled)) TINYRT_THROW(timeout_error{});
        return take_result<T>(node_);
    }

private:
    static std::coroutine_handle<> finished(completion_listener* self, task_node*) noexcept {
        wait_for_awaiter& me = base::from(self);
        me.loop_->cancel_timer(&me);  // completion won (no-op if the timer fired)
        return me.resume_waiter();
    }
    static void on_fire(timer_node* self) noexcept {
        auto& me = static_cast<wait_for_awaiter&>(static_cast<timer_entry&>(*self));
        me.timed_out_ = true;
        me.node_->cancel();  // the awaiter resumes when the task has finished
    }
    // forwarding_awaiter's forward step.
    void forward_cancel() noexcept {
        loop_->cancel_timer(this);
        node_->cancel();
    }

    static constexpr timer_action timeout_action{&on_fire};

    task<T> task_;
    loop_core* loop_ = nullptr;
    task_node* node_ = nullptr;
    bool timed_out_ = false;
};

}  // namespace detail

// Awaitable: the task's result if it finishes within `timeout`, else
// timeout_error (after the task has been cancelled and has finished). A
// timeout too long for the clock (nanoseconds::max(), seconds::max())
// never fires.
template <typename T, typename Rep, typename Period>
[[nodiscard]] detail::wait_for_awaiter<T> wait_for(task<T> t,
                                                   std::chrono::duration<Rep, Period> timeout) {
    return detail::wait_for_awaiter<T>{std::move(t), detail::wait_ns(timeout)};
}

}  // namespace tinyrt
