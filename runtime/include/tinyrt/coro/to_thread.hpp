// tinyrt::to_thread: asyncio's run_in_executor / to_thread. Runs a blocking
// or CPU-heavy function on a tinyrt::pool worker while the loop keeps
// running other tasks; the awaiting coroutine resumes on the loop thread
// with the function's result (or its exception).
//
//   tinyrt::pool pool{{.workers = 2}};
//   int z = co_await tinyrt::to_thread(pool, [] { return heavy(); });
//
// Protocol (W = the pool worker, L = the loop thread):
//   0. L: if L is itself a worker of the pool (the loop runs inside one of
//      its tasks), it counts itself as a worker blocked in a loop for this
//      job (pool.hpp, "Loops on workers"). If every worker of the pool would
//      then be so blocked, nobody could ever run the job: the await throws
//      std::logic_error("tinyrt::to_thread: ...") at once (no-exceptions
//      build: aborts with that message) instead of hanging, with nothing
//      parked or spawned. A 1-worker pool thus refuses a loop on its own
//      worker; with more workers the job runs on another one.
//   1. L: the awaiter parks the task and counts one external wait (so the
//      loop knows it is waiting, not deadlocked), then spawns the job
//      through the pool's injection queue (pool::spawn_injected: never onto
//      L's own deque, which only other workers could take from).
//   2. W: runs f, stores the value or exception in the awaiter (which lives
//      in the suspended frame, so it stays valid), drops L's count of step 0
//      (L may leave its loop from now on), then posts the awaiter's
//      posted_work to the loop. The post is W's last access to the awaiter.
//   3. L: the posted item runs: external wait done, the task is scheduled.
//      The loop's acquire of the posted queue pairs with W's release push, so
//      L sees the result W stored.
// Cancellation: f cannot be interrupted, and the frame holding the awaiter
// must outlive W's access, so a cancel that arrives while f runs is recorded
// and delivered when f returns: the result is then discarded and the await
// throws cancelled_error.
// Limit of step 0: only loops waiting for to_thread jobs of this pool are
// counted. A worker blocked in a loop for anything else (a sleep, a socket,
// a job of another pool), or waiting in a join or a task_group (waiters do
// not run pool.spawn tasks such as this job), is not, so a job that only
// such a worker could take is accepted and waits until it is free.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/parked_awaiter.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/current.hpp"
#include "tinyrt/trace/hooks.hpp"

namespace tinyrt {
namespace detail {

template <typename F>
class to_thread_awaiter : private parked_awaiter, private posted_work {
    using result_type = std::invoke_result_t<F&>;
    using stored_type = std::conditional_t<std::is_void_v<result_type>, bool, result_type>;

public:
    to_thread_awaiter(pool& p, F&& f, tinyrt::task_name name)
        : parked_awaiter(&on_cancel), pool_(&core_of(p)), fn_(std::move(f)), name_(name) {
        this->run = &on_posted;
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        loop_ = &loop_for("to_thread");
        count_blocked_worker();  // step 0: may refuse, before anything is parked
        if (!park(*loop_, h)) {
            uncount_blocked_worker();
            return suspend_to_cancel;
        }
        loop_->external_begin();
        if (trace::current_buffer() != nullptr) [[unlikely]]
            trace::hooks::to_thread_out(job_id());
#if TINYRT_EXCEPTIONS
        try {
            pool_->spawn_injected([this] { work(); }, name_);  // the handle is dropped: detached
        } catch (...) {
            // Not spawned (the pool is shutting down): undo the park; the
            // error surfaces at the co_await.
            node->hook = nullptr;
            loop_->external_end();
            uncount_blocked_worker();
            throw;
        }
#else
        pool_->spawn_injected([this] { work(); }, name_);
#endif
        return true;
    }

    result_type await_resume() {
        throw_if_cancelled();
#if TINYRT_EXCEPTIONS
        if (error_) std::rethrow_exception(error_);
#endif
        if constexpr (!std::is_void_v<result_type>) return std::move(*value_);
    }

private:
    // Step 0, on the loop thread.
    void count_blocked_worker() {
        worker* w = tls_worker;
        if (w == nullptr || w->owner != pool_) return;  // the loop blocks none of its workers
        if (!pool_->begin_loop_wait(*w)) {
            TINYRT_THROW(std::logic_error(
                "tinyrt::to_thread: the job could never run: this event loop runs on a worker "
                "of the pool it offloads to, and every other worker of that pool is blocked in "
                "an event loop waiting for to_thread too (a 1-worker pool cannot offload from "
                "a loop on its own worker: use another pool or more workers)"));
        }
        counted_ = w;
    }
    // Undoes step 0: on the loop thread if the job was not spawned, else on
    // the worker that ran it (step 2; the spawn published counted_ to it).
    void uncount_blocked_worker() noexcept {
        if (counted_ != nullptr) pool_->end_loop_wait(*std::exchange(counted_, nullptr));
    }

    // Step 2, on the worker.
    void work() noexcept {
#if TINYRT_EXCEPTIONS
        try {
            store();
        } catch (...) {
            error_ = std::current_exception();
        }
#else
        store();
#endif
        uncount_blocked_worker();
        loop_->post(this);  // last access to *this from the worker
    }
    void store() {
        if constexpr (std::is_void_v<result_type>) {
            fn_();
            value_.emplace(true);
        } else {
            value_.emplace(fn_());
        }
    }

    // Step 3, on the loop thread.
    static void on_posted(posted_work* self) noexcept {
        auto* me = &static_cast<to_thread_awaiter&>(*self);
        me->loop_->external_end();
        if (trace::current_buffer() != nullptr) [[unlikely]]
            trace::hooks::to_thread_back(me->job_id());
        if (me->cancel_requested_) {
            me->wake_cancelled();
        } else {
            me->wake();
        }
    }
    static void on_cancel(cancel_hook* self) noexcept {
        auto* me = &static_cast<to_thread_awaiter&>(*self);
        me->cancel_requested_ = true;  // delivered when f returns (see above)
        me->node->hook = me;
    }

    // The timeline's id of this job: the awaiter's address.
    std::uint64_t job_id() const noexcept {
        return reinterpret_cast<std::uintptr_t>(this);
    }

    sched_core* pool_;
    F fn_;
    tinyrt::task_name name_;  // names the job in the timeline
    loop_core* loop_ = nullptr;
    worker* counted_ = nullptr;  // step 0: the loop's worker, while counted
    std::optional<stored_type> value_;
#if TINYRT_EXCEPTIONS
    std::exception_ptr error_;
#endif
    bool cancel_requested_ = false;
};

}  // namespace detail

// Awaitable: runs f() on a worker of `p`; gives its result on the loop thread.
// Timeline (pool_options::trace): the job is named by the call's source location,
// or by a name given instead (tinyrt/task_name.hpp).
template <typename F>
[[nodiscard]] detail::to_thread_awaiter<std::decay_t<F>> to_thread(
    pool& p, F&& f, tinyrt::task_name name = tinyrt::source_location::current()) {
    return detail::to_thread_awaiter<std::decay_t<F>>{p, std::decay_t<F>(std::forward<F>(f)), name};
}

}  // namespace tinyrt
