// A task_group's inline child: the first child its owner spawns, kept in the
// group object itself instead of a task block (rayon keeps join's second
// closure in the joiner's frame the same way). The group outlives all of its
// children (wait() and the destructor return only when every child has
// finished), so a job in the group is as durable as one in a block, and the
// common fork-join shape (one spawn, then wait, as in fib) takes no block
// from the cache, gives none back, and runs its child through a typed call.
//
// The slot is queued like any job (a task_header, kind fork_join):
//   - the owner usually pops it back in wait() and calls `call` itself: the
//     closure with its static type, no child_done (the owner drops its own
//     count);
//   - anyone else who takes it (a thief, or the owner's slow wait path and
//     traced runs, which go through the header) calls `run`, which ends with
//     child_done like a block child.
// The slot is busy from the spawn until the owner knows the child finished:
// it ran it inline, or wait() returned. Only the owner thread tests or frees
// it; a thief reads the group pointer and runs the closure in place (their
// stores were published by the push that queued the slot), and its last
// access to the group is child_done.
#pragma once

#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/detail/group_state.hpp"
#include "tinyrt/sched/detail/task.hpp"

namespace tinyrt::detail {

class inline_child : public task_header {
public:
    // Room for a closure of four references (fib's captures three).
    static constexpr std::size_t capacity = 32;

    template <typename F>
    static constexpr bool fits = sizeof(F) <= capacity && alignof(F) <= 16;

    // Owner thread only: whether a spawn may use the slot now.
    bool free() const noexcept { return call_ == nullptr; }

    // Owner thread only, when free(): moves f into the slot and makes it a
    // queued job of `group`. If f's move constructor throws, the slot stays free.
    template <typename F, typename G>
    void construct(G&& f, group_state* group) {
        new (storage_) F(std::forward<G>(f));
        run = &run_queued<F>;
        kind = task_kind::fork_join;
        group_ = group;
        call_ = &call_typed<F>;
    }

    // Owner thread only, after popping the slot back: runs the closure (an
    // exception goes to the group) and frees the slot. The owner drops its
    // own pending count.
    void run_by_owner() noexcept {
        call_(this);
        call_ = nullptr;
    }

    // Owner thread only, once every child of the group has finished.
    void release() noexcept { call_ = nullptr; }

private:
    template <typename F>
    static void call_typed(inline_child* s) noexcept {
        F* f = std::launder(reinterpret_cast<F*>(s->storage_));
#if TINYRT_EXCEPTIONS
        try {
            (*f)();
        } catch (...) {
            s->group_->capture(std::current_exception());
        }
#else
        (*f)();
#endif
        f->~F();
    }

    template <typename F>
    static void run_queued(task_header* h) noexcept {
        auto* s = static_cast<inline_child*>(h);
        group_state* group = s->group_;
        call_typed<F>(s);
        group->child_done(true);  // the group (and this slot) may be gone after this
    }

    void (*call_)(inline_child*) noexcept = nullptr;  // null: free
    group_state* group_ = nullptr;
    alignas(16) unsigned char storage_[capacity];
};

}  // namespace tinyrt::detail
