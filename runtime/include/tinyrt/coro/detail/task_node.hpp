// The control block of a root task: one coroutine chain that the event loop
// schedules on its own (what asyncio calls a Task).
//
// A plain `co_await some_task()` needs none of this: the callee runs inside
// its caller's chain by symmetric transfer. A chain becomes a root when it is
// given to the loop (run, create_task, gather, when_any, wait_for); only then
// is a task_node allocated (from the frame allocator), so nested tasks stay
// small.
//
// Every field is touched on the loop thread only.
//
// A suspended root is always parked at exactly one place, and `hook` says how
// to call that place off:
//   sleep_for      -> its timer is removed from the timer queue
//   wait_ready     -> its fd interest is removed from epoll
//   async_mutex    -> it is unlinked from the mutex's waiter queue
//   co_await task  -> the awaited task is cancelled in turn (as asyncio does)
// A root that is ready or running has no hook; a cancel() then only sets
// cancel_pending, and the next suspension point reports it instead of
// suspending.
// An awaiter that waits on other roots (the last case above, gather,
// when_any, wait_for) reports the cancellation when it resumes, whatever
// those roots ended with.
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <new>
#include <utility>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

struct task_node;
class promise_base;

// The three hooks below (cancel_hook, completion_listener, and timer_node in
// timer_queue.hpp) are hand-made one-function interfaces: a base holding one
// function pointer, set by the awaiter's constructor, which casts the base
// back to itself. Why not virtual functions: an awaiter is often several of
// them at once (wait_for is a listener, a cancel hook and a timer), and each
// virtual base would add its own vptr to the awaiter, which lives in the
// coroutine frame; a function pointer is the same 8 bytes and the same
// indirect call, and each hook stays a plain aggregate the loop can keep in
// intrusive lists without knowing the awaiter's type. A timer_node is itself
// a cancel_hook, so that sleep_for's one pointer serves as both its cancel
// hook and its expiry callback.

// The place a suspended root waits at; `cancel` unregisters it and makes the
// root ready again so that its await reports cancelled_error.
struct cancel_hook {
    void (*cancel)(cancel_hook* self) noexcept;
};

// Told when a root finishes (value, error or cancellation). Returns the
// coroutine to run next on this thread (symmetric transfer: the awaiting
// task continues without a trip through the ready queue, and without stack
// growth) or std::noop_coroutine().
struct completion_listener {
    std::coroutine_handle<> (*on_done)(completion_listener* self, task_node* finished) noexcept;
};

enum task_flags : std::uint32_t {
    task_done = 1u << 0,            // reached final_suspend (or was destroyed, without exceptions)
    task_failed = 1u << 1,          // finished with an exception
    task_cancelled = 1u << 2,       // that exception was cancelled_error
    task_cancel_pending = 1u << 3,  // cancel() asked; not yet delivered at an await
    task_detached = 1u << 4,        // nobody holds it: free frame and node when done
    task_observed = 1u << 5,        // its result or error was taken by someone
    task_ready = 1u << 6,           // in the loop's ready queue: `next`, not `hook`, is set
};

// 56 bytes, one frame-allocator block of that size (frame_allocator.hpp):
// two pairs of fields that are never needed at once share a word.
//   next / hook           a root is either ready (queued by `next`) or
//                         parked (at `hook`) or running (neither), never two
//                         at once; task_ready says which word it is
//   resume_point / error  where to resume is needed only while it is ready
//                         or parked; its error (exceptions builds) only from
//                         the failure on, which happens while it runs, and
//                         after which it never resumes; task_failed says
//                         which. The root frame's promise keeps no error of
//                         its own (task.hpp), so this is where a root's
//                         error lives until the node is freed.
struct task_node {
    task_node() noexcept {}
    task_node(const task_node&) = delete;
    task_node& operator=(const task_node&) = delete;
    ~task_node() {
#if TINYRT_EXCEPTIONS
        if (has(task_failed)) error.~exception_ptr();
#endif
    }

    union {
        task_node* next = nullptr;  // ready-queue link, while task_ready
        cancel_hook* hook;          // where it is parked, if it is (else null)
    };
    task_node* live_prev = nullptr;   // the loop's list of unfinished roots
    task_node* live_next = nullptr;   //   (run() cancels them at the end)
    promise_base* promise = nullptr;  // the root frame's promise (owned; null once destroyed)
    union {
        std::coroutine_handle<> resume_point{};  // the innermost suspended frame of the chain
#if TINYRT_EXCEPTIONS
        std::exception_ptr error;  // once task_failed: what it failed with
#endif
    };
    completion_listener* listener = nullptr;
    std::uint32_t flags = 0;
    std::uint32_t tag = 0;  // the listener's index for it (gather, when_any)

    bool has(std::uint32_t f) const noexcept {
        return (flags & f) != 0;
    }

#if TINYRT_EXCEPTIONS
    // From the root frame's unhandled_exception, while it runs (so
    // resume_point is dead): records the error and marks it failed.
    void set_error(std::exception_ptr e) noexcept {
        ::new (static_cast<void*>(&error)) std::exception_ptr(std::move(e));
        flags |= task_failed;
    }
#endif
    // Rethrows the root's error, if it failed with one.
    void rethrow_if_failed() const {
#if TINYRT_EXCEPTIONS
        if (has(task_failed)) std::rethrow_exception(error);
#endif
    }

    // The root lifecycle (task_node.cpp); loop thread only.
    //
    // Called by the root's final_suspend: marks it done, unlinks it from the
    // loop's live list and tells its listener (returning the coroutine to run
    // next), or frees it if nobody owns it.
    std::coroutine_handle<> finish() noexcept;
    // The owner (handle, gather, run) lets go: frees the node and frame if
    // done, else marks it detached so that finish() frees it.
    void release() noexcept;
    // Requests cancellation (see the top of this file). False if already
    // finished.
    bool cancel() noexcept;
    // On the node of a root that waits for other roots, from a listener's
    // on_done: resume it at `where` (symmetric transfer), or, without
    // exceptions and if it is being cancelled, schedule it so that the loop
    // destroys it.
    std::coroutine_handle<> resume_waiter(std::coroutine_handle<> where) noexcept;

private:
    void free() noexcept;
};

}  // namespace tinyrt::detail
