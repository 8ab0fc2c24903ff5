// The second closure of tinyrt::join (fork_join.hpp), queued by pointer
// from the joining frame: no block from a cache, no copy of the closure.
//
// A stack_job is a task_header (task.hpp) followed by what only a thief
// needs: a pointer to the closure, room for its result or exception
// (constructed only by a thief), and a completion word. The joiner pushes the job on its own queue
// and usually pops it back and calls the closure itself with its static type; then the job's `run`
// is never called. A thief that steals it calls `run` (run_stolen), which stores the outcome, then
// sets done_bit; from that store on the job belongs to the joiner again, which may return and end
// the frame the job lives in. So the joiner never returns before done_bit
// is set when the job was stolen (fork_join.hpp).
//
// The completion word is a wait_target word (worker.hpp): bit 0 "a waiter
// may sleep on me", bit 1 done.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>
#include <variant>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/sched/detail/task.hpp"

namespace tinyrt::detail {

// What join returns for a closure: its result, std::monostate for void.
template <typename F>
using join_value_t = std::conditional_t<std::is_void_v<std::invoke_result_t<F&>>, std::monostate,
                                        std::invoke_result_t<F&>>;

// Calls f once, as an lvalue, and returns its value (std::monostate for void).
template <typename F>
join_value_t<F> call_for_value(F& f) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
        f();
        return {};
    } else {
        return f();
    }
}

template <typename F>
class stack_job : public task_header {
public:
    using value_type = join_value_t<F>;
    static constexpr std::uint32_t waiter_bit = 1;
    static constexpr std::uint32_t done_bit = 2;

    explicit stack_job(F& f) noexcept : fn_(&f) {
        run = &run_stolen;
        kind = task_kind::fork_join;  // a child of the joining frame (DESIGN.md, rule 2)
    }
    stack_job(const stack_job&) = delete;
    stack_job& operator=(const stack_job&) = delete;
    // Trivially destructible on purpose: the common case (not stolen)
    // leaves nothing in the job. A stolen job's outcome is taken, and so
    // destroyed, by take_result() or drop_result().

    // The joiner calls the closure itself (it popped the job back).
    value_type call_inline() { return call_for_value(*fn_); }

    // wait_target::done: a thief has finished the closure.
    static bool finished(const void* self) noexcept {
        // pairs with the release fetch_or in run_stolen(): the outcome is visible
        return (static_cast<const stack_job*>(self)->word_.load(acquire) & done_bit) != 0;
    }

    detail::atomic<std::uint32_t>* word() noexcept { return &word_; }

    // Joiner only, after finished(): the thief's result, or its exception
    // rethrown.
    value_type take_result() {
#if TINYRT_EXCEPTIONS
        if (failed_) {
            std::exception_ptr e = std::move(*error());
            error()->~exception_ptr();
            std::rethrow_exception(std::move(e));
        }
#endif
        value_type v = std::move(*value());
        value()->~value_type();
        return v;
    }

    // Joiner only, after finished(): the outcome is not wanted.
    void drop_result() noexcept {
#if TINYRT_EXCEPTIONS
        if (failed_) {
            error()->~exception_ptr();
            return;
        }
#endif
        value()->~value_type();
    }

private:
    static void run_stolen(task_header* h) noexcept {
        auto* job = static_cast<stack_job*>(h);
#if TINYRT_EXCEPTIONS
        try {
            new (job->outcome_) value_type(call_for_value(*job->fn_));
        } catch (...) {
            new (job->outcome_) std::exception_ptr(std::current_exception());
            job->failed_ = true;
        }
#else
        new (job->outcome_) value_type(call_for_value(*job->fn_));
#endif
        // release: publishes the outcome to the acquire load in finished().
        std::uint32_t before = job->word_.fetch_or(done_bit, release);
        // The joiner may return (and the job's frame end) as soon as the
        // fetch_or lands. futex_wake only passes the address to the kernel
        // and never reads it, so waking a dead word is a harmless spurious
        // wake-up at worst (as in group_state::child_done).
        if ((before & waiter_bit) != 0) futex_wake(job->word_, INT_MAX);
    }

    value_type* value() noexcept {
        return std::launder(reinterpret_cast<value_type*>(outcome_));
    }
#if TINYRT_EXCEPTIONS
    std::exception_ptr* error() noexcept {
        return std::launder(reinterpret_cast<std::exception_ptr*>(outcome_));
    }
    static constexpr std::size_t outcome_size = sizeof(value_type) > sizeof(std::exception_ptr)
                                                    ? sizeof(value_type)
                                                    : sizeof(std::exception_ptr);
    static constexpr std::size_t outcome_align = alignof(value_type) > alignof(std::exception_ptr)
                                                     ? alignof(value_type)
                                                     : alignof(std::exception_ptr);
#else
    static constexpr std::size_t outcome_size = sizeof(value_type);
    static constexpr std::size_t outcome_align = alignof(value_type);
#endif

    F* fn_;
    detail::atomic<std::uint32_t> word_{0};
#if TINYRT_EXCEPTIONS
    bool failed_ = false;  // written by the thief before done_bit, read after it
#endif
    // The thief's outcome: a value_type, or (failed_) a std::exception_ptr.
    alignas(outcome_align) unsigned char outcome_[outcome_size];
};

}  // namespace tinyrt::detail
