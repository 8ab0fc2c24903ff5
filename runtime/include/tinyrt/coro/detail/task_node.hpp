// The control block of a root task: one coroutine chain that the event loop
// schedules on its own (what asyncio calls a Task).
//
// A plain `co_await some_task()` needs none of it: the callee runs inside its
// caller's chain by symmetric transfer. A chain becomes a root when it is
// given to the loop (run, create_task, gather, when_any, wait_for). The node
// is the first part of every task's promise (promise_base derives from it,
// task.hpp), so becoming a root allocates nothing: the node lives and dies
// with the root's frame, 16 bytes after the frame's start.
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
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <utility>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

struct task_node;
class promise_base;

// The three hooks (cancel_hook and completion_listener below, timer_entry in
// timer_queue.hpp) are hand-made one-function interfaces: a base holding one
// function pointer, set by the awaiter's constructor, which casts the base
// back to itself. Why not virtual functions: an awaiter is often several of
// them at once (wait_for is a listener, a cancel hook and a timer), and each
// virtual base would add its own vptr to the awaiter, which lives in the
// coroutine frame; a function pointer is the same 8 bytes and the same
// indirect call, and each hook stays a plain aggregate the loop can keep in
// intrusive lists without knowing the awaiter's type. sleep_for, the most
// common awaiter, holds no function pointer at all: its timer's one word says
// "a sleep" and names the root, and its cancel hook is that timer tagged
// (loop_core::sleep_hook).

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
    task_failed = 1u << 1,          // finished with an exception (any task, nested or root)
    task_cancelled = 1u << 2,       // that exception was cancelled_error
    task_cancel_pending = 1u << 3,  // cancel() asked; not yet delivered at an await
    task_detached = 1u << 4,        // nobody holds it: free frame and node when done
    task_observed = 1u << 5,        // its result or error was taken by someone
    task_ready = 1u << 6,           // in the loop's ready queue: `next`, not `hook`, is set
    task_has_value = 1u << 7,       // its result is stored (any task; promise<T>)
    task_listed = 1u << 8,          // in the loop's list of unowned roots; `tag` is its index
    task_frame_kept = 1u << 9,      // without exceptions: the frame was destroyed by a
                                    // cancellation, its memory kept for the node alone
};

// 32 bytes, the whole of promise_base: every word has two uses that are
// never needed at once.
//   link          a nested task's continuation (its caller's frame, 0 until
//                 awaited); a root is never awaited, so the word holds its
//                 listener instead (or null), tagged with root_bit (both are
//                 at least 8-aligned, so the low bit is free). The root's
//                 frame needs no word: it is 16 bytes before the node.
//   next / hook   roots only: a root is either ready (queued by `next`) or
//                 parked (at `hook`) or running (neither), never two at
//                 once; task_ready says which word it is. Unused in a
//                 nested task.
//   resume_point / error / result
//                 where to resume is needed only while a root is ready or
//                 parked; its error (exceptions builds) or its result (a
//                 value of at most 8 bytes, promise<T>) only from the failure
//                 or the co_return on, which happen while it runs and after
//                 which it never resumes; task_failed and task_has_value say
//                 which. A nested task keeps its error and small result here
//                 too.
//   flags / tag   tag: the listener's index for a root with a listener
//                 (gather, when_any), its index in the loop's list of unowned
//                 roots for one without (create_task, run; task_listed).
struct task_node {
    static constexpr std::uintptr_t root_bit = 1;

    task_node() noexcept {}
    task_node(const task_node&) = delete;
    task_node& operator=(const task_node&) = delete;
    ~task_node() {}  // the promise destroys what the words hold

    std::uintptr_t link = 0;
    union {
        task_node* next;    // ready-queue link, while task_ready
        cancel_hook* hook;  // where it is parked, if it is (else null)
    };
    union {
        std::coroutine_handle<> resume_point;  // the innermost suspended frame of the chain
#if TINYRT_EXCEPTIONS
        std::exception_ptr error;  // once task_failed: what it failed with
#endif
        alignas(8) unsigned char result[8];  // once task_has_value, if it fits
        std::size_t kept_bytes;              // once task_frame_kept: the frame's size
    };
    std::uint32_t flags = 0;
    std::uint32_t tag = 0;

    bool has(std::uint32_t f) const noexcept {
        return (flags & f) != 0;
    }
    bool is_root() const noexcept {
        return (link & root_bit) != 0;
    }
    // A root's listener (null: none); root only.
    completion_listener* listener() const noexcept {
        return reinterpret_cast<completion_listener*>(link & ~root_bit);
    }
    void set_listener(completion_listener* l) noexcept {
        link = reinterpret_cast<std::uintptr_t>(l) | root_bit;
    }
    // The frame this node's promise is in: the frame ABI that g++ and clang
    // share puts the promise (and so this node, its first base) 16 bytes
    // after the frame's start for any promise aligned to at most 16
    // (promise<T> checks that).
    std::coroutine_handle<> frame() const noexcept {
        return std::coroutine_handle<>::from_address(
            const_cast<char*>(reinterpret_cast<const char*>(this)) - 16);
    }

#if TINYRT_EXCEPTIONS
    // From the frame's unhandled_exception, while it runs (so resume_point
    // is dead): records the error and marks it failed.
    void set_error(std::exception_ptr e) noexcept {
        ::new (static_cast<void*>(&error)) std::exception_ptr(std::move(e));
        flags |= task_failed;
    }
#endif
    // Rethrows the task's error, if it failed with one.
    void rethrow_if_failed() const {
#if TINYRT_EXCEPTIONS
        if (has(task_failed)) [[unlikely]]
            std::rethrow_exception(error);
#endif
    }

    // The root lifecycle (task_node.cpp); loop thread only.
    //
    // Called by the root's final_suspend: marks it done, takes it off the
    // loop's roots and tells its listener (returning the coroutine to run
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

#if !TINYRT_EXCEPTIONS
// Without exceptions a cancelled chain is destroyed (loop_core::
// destroy_cancelled) while its owner still reads the node: the frame's
// operator delete keeps the memory of the frame named here and records its
// size instead of freeing it.
inline constinit thread_local void* tls_kept_frame = nullptr;
inline constinit thread_local std::size_t tls_kept_bytes = 0;
#endif

}  // namespace tinyrt::detail
