// tinyrt::create_task: asyncio.create_task. The task starts running
// concurrently on the loop (it is scheduled now and runs at the loop's next
// step, when the creator next suspends); the returned handle is awaitable.
//
//   auto t1 = tinyrt::create_task(g(1));
//   auto t2 = tinyrt::create_task(g(2));   // both are running now
//   int a = co_await t1;                    // value, or its exception rethrown
//
// Ownership: the handle owns the task's frame and result. Dropping the handle
// detaches the task: it still runs to completion on the loop, then frees
// itself (like Tokio's JoinHandle). run() cancels detached tasks still
// unfinished when its own task returns.
//
// Awaiting: co_await moves the result out, so a handle is awaited once (a
// second await is a programming error reported by a message). Cancelling the
// task that awaits a handle cancels the awaited task too (asyncio does the
// same): the awaiter then sees cancelled_error, whatever the awaited task
// ended with (it may catch its cancellation and return a value).
//
// Completion vs cancel -- only one can win: both are decided on the loop
// thread; cancel() on a finished task does nothing and returns false; on an
// unfinished one it is delivered at the task's current (or next) await.
#pragma once

#include <coroutine>
#include <cstdint>
#include <utility>

#include "tinyrt/coro/detail/forwarding_awaiter.hpp"
#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/trace/current.hpp"
#include "tinyrt/trace/hooks.hpp"

namespace tinyrt {

template <typename T>
class task_handle {
public:
    task_handle() noexcept = default;
    task_handle(detail::task_node* node, const detail::loop_core& loop) noexcept
        : node_(node), loop_id_(loop.id()) {}
    task_handle(task_handle&& o) noexcept
        : node_(std::exchange(o.node_, nullptr)), loop_id_(std::exchange(o.loop_id_, 0)) {}
    task_handle& operator=(task_handle&& o) noexcept {
        if (this != &o) {
            reset();
            node_ = std::exchange(o.node_, nullptr);
            loop_id_ = std::exchange(o.loop_id_, 0);
        }
        return *this;
    }
    task_handle(const task_handle&) = delete;
    task_handle& operator=(const task_handle&) = delete;
    ~task_handle() { reset(); }

    bool valid() const noexcept { return node_ != nullptr; }
    // Finished (value, error or cancellation).
    bool done() const noexcept { return node_ != nullptr && node_->has(detail::task_done); }
    // Finished by cancellation.
    bool cancelled() const noexcept { return done() && node_->has(detail::task_cancelled); }

    // Requests cancellation; false if the task has already finished. The
    // task sees cancelled_error at its current await (or its next one if it
    // is ready to run); whoever awaits this handle then sees it too.
    // Loop thread only.
    bool cancel() noexcept { return node_ != nullptr && node_->cancel(); }

    // The result of a finished task (moved out); the task's error rethrown.
    T result() {
        if (!done()) detail::fatal("task_handle::result() on an unfinished task");
        return detail::take_result<T>(node_);
    }

    // Lets the task run on without an owner.
    void detach() noexcept { reset(); }

    class awaiter : private detail::forwarding_awaiter<awaiter> {
        using base = detail::forwarding_awaiter<awaiter>;
        friend base;

    public:
        explicit awaiter(detail::task_node* node) noexcept : base(&finished), node_(node) {}
        bool await_ready() const noexcept { return node_->has(detail::task_done); }
        bool await_suspend(std::coroutine_handle<> h) noexcept {
            detail::loop_core& loop = detail::loop_for("co_await task_handle");
            if (node_->listener() != nullptr)
                detail::fatal("a task_handle is awaited by two tasks at once");
            // Cancelled before suspending: passed on to the awaited task (it
            // is what the awaiter is blocked on), which it then waits for.
            if (this->park_waiter(loop, h)) node_->set_listener(this);
            return true;
        }
        // A cancellation of the awaiting task wins over whatever the awaited
        // task ended with: it may have caught its own cancelled_error and
        // returned, or never reached an await (asyncio raises CancelledError
        // in the awaiter too). Its result stays in the handle.
        T await_resume() {
            this->throw_if_cancelled();
            return detail::take_result<T>(node_);
        }

    private:
        static std::coroutine_handle<> finished(detail::completion_listener* self,
                                                detail::task_node*) noexcept {
            return base::from(self).resume_waiter();
        }
        // forwarding_awaiter's forward step: the awaited task's completion
        // (by cancellation) resumes us, and await_resume reports it.
        void forward_cancel() noexcept { node_->cancel(); }

        detail::task_node* node_;
    };

    awaiter operator co_await() & noexcept { return awaiter{checked()}; }
    awaiter operator co_await() && noexcept { return awaiter{checked()}; }

private:
    // A handle belongs to the loop that created it: awaiting it from a task
    // of another loop (another thread) would resume that task on the wrong
    // thread, so it ends the program with a message.
    detail::task_node* checked() const noexcept {
        if (node_ == nullptr) detail::fatal("co_await on an empty task_handle");
        if (detail::tls_running_loop_id != loop_id_) [[unlikely]]
            detail::fatal(
                "co_await on a task_handle of another event loop (a handle belongs "
                "to the loop that created it)");
        return node_;
    }
    void reset() noexcept {
        loop_id_ = 0;
        if (node_ != nullptr) std::exchange(node_, nullptr)->release();
    }
    detail::task_node* node_ = nullptr;
    std::uint64_t loop_id_ = 0;  // event_loop::id() of the loop the task runs on
};

// Schedules `t` on the running loop and returns its handle. Only inside a
// task run by the loop (like asyncio.create_task). Timeline
// (event_loop::set_trace): the task is named by the call's source location,
// or by a name given instead (tinyrt/task_name.hpp).
template <typename T>
[[nodiscard]] task_handle<T> create_task(
    task<T> t, tinyrt::task_name name = tinyrt::source_location::current()) {
    detail::loop_core& loop = detail::loop_for("create_task");
    detail::task_node* node = detail::spawn_task(loop, std::move(t), nullptr);
    if (trace::current_buffer() != nullptr) [[unlikely]]
        trace::hooks::coroutine_spawned(reinterpret_cast<std::uintptr_t>(node), name);
    return task_handle<T>{node, loop};
}

}  // namespace tinyrt
