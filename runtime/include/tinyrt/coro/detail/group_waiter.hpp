// The machinery under gather and when_any: one awaiting task waits for a
// group of roots it has spawned.
//
// Protocol (all on the loop thread):
//   1. await_suspend spawns every child as a root whose listener is the
//      group (tag = its index) and parks the awaiting task with the group as
//      its cancel hook (forwarding_awaiter.hpp).
//   2. Each child's completion calls on_done: remaining -= 1, and
//        - the first child to fail (in time) is remembered, and every other
//          unfinished child is cancelled;
//        - with `first_wins` (when_any) the first child to finish, however
//          it finished, is remembered, and the others are cancelled.
//   3. When remaining reaches 0 the awaiting task resumes (symmetric
//      transfer from the last child's final_suspend).
//   4. Cancelling the awaiting task cancels every unfinished child; it then
//      resumes at step 3 and sees cancelled_error, whatever the children
//      ended with (throw_if_cancelled).
// So the group never resumes while a child still runs: a failure or a
// cancellation propagates only after the others have finished (by
// cancellation, or on their own if they finish first). No child outlives
// the await, and the group frees every node when it is destroyed.
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "tinyrt/coro/detail/forwarding_awaiter.hpp"
#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/coro/task.hpp"

namespace tinyrt::detail {

class group_waiter : protected forwarding_awaiter<group_waiter> {
public:
    static constexpr std::size_t none = SIZE_MAX;

protected:
    explicit group_waiter(bool first_wins) noexcept
        : forwarding_awaiter(&child_done), first_wins_(first_wins) {}
    ~group_waiter() = default;

    // Step 1, after the subclass spawned `count` children into `nodes`.
    // Returns what await_suspend returns. Cancelled before it could wait:
    // the children are cancelled and still awaited (without exceptions the
    // loop destroys this chain, and the subclass destructor detaches them).
    // `nodes` null: the subclass set child_at_ instead.
    bool park(loop_core& loop, std::coroutine_handle<> h, task_node** nodes,
              std::size_t count) noexcept {
        nodes_ = nodes;
        count_ = count;
        remaining_ = count;
        park_waiter(loop, h);
        return true;
    }

    // Step 1 for a vector of tasks: spawns each as a child (tag = its index)
    // into `nodes`; the nodes own the frames from then on, so the vector is
    // freed.
    template <typename T>
    void spawn_children(loop_core& loop, std::vector<task<T>>& tasks,
                        std::vector<task_node*>& nodes) {
        nodes.reserve(tasks.size());
        for (std::size_t i = 0; i < tasks.size(); ++i)
            nodes.push_back(
                spawn_task(loop, std::move(tasks[i]), this, static_cast<std::uint32_t>(i)));
        std::vector<task<T>>().swap(tasks);
    }

    // For the subclass destructor: lets go of every child node still held.
    template <typename Nodes>
    static void release_children(Nodes& nodes) noexcept {
        for (task_node* n : nodes) {
            if (n != nullptr) n->release();
        }
    }

    // Called for each child that finishes successfully, with the child's
    // node (already cleared from the node array, if there is one): takes
    // its result and releases it (and forgets it, if the subclass keeps
    // its children itself). Set by subclasses that want early harvest.
    void (*harvest_)(group_waiter* self, task_node* child) noexcept = nullptr;
    // A subclass that keeps no node array: child i's node, or null once it
    // was forgotten.
    task_node* (*child_at_)(group_waiter* self, std::size_t i) noexcept = nullptr;

    // Starts `t` as child `i` (tag = i) without taking its frame from the
    // task object: a subclass that keeps its tasks as its children table
    // (gather of a vector: no second array) lets go of each task object
    // before it releases the node (release_tasks).
    template <typename T>
    task_node* spawn_kept(loop_core& loop, task<T>& t, std::size_t i) {
        task_node* node = task_access::node(t);
        if (node == nullptr) fatal("an empty task (moved from?) given to the loop");
        return start_root(loop, static_cast<promise_base*>(node), this,
                          static_cast<std::uint32_t>(i));
    }
    // For the subclass destructor, after spawn_kept: every child still held
    // is released (its frame freed now, or when it finishes).
    template <typename T>
    static void release_tasks(std::vector<task<T>>& tasks) noexcept {
        for (task<T>& t : tasks) {
            if (task_node* n = task_access::node(t)) {
                (void)t.release();
                n->release();
            }
        }
    }

    // Step 4's outcome, for the subclass's await_resume (first thing): the
    // awaiting task was cancelled, so it sees cancelled_error whatever the
    // children ended with (they may have caught their cancellation and
    // returned, or never reached an await). Children's results are dropped
    // with their nodes; a failure among them is still reported (free_root).
    using forwarding_awaiter::throw_if_cancelled;

    std::size_t first_failed() const noexcept { return first_failed_; }
    std::size_t first_done() const noexcept { return first_done_; }

private:
    friend forwarding_awaiter<group_waiter>;

    static std::coroutine_handle<> child_done(completion_listener* self,
                                              task_node* child) noexcept {
        auto* me = &from(self);
        // The child finished: keep the node (its result) for await_resume;
        // completion_listener cleared, so it is ours to free.
        const bool failed = child->has(task_failed);
        if (failed && me->first_failed_ == none) {
            me->first_failed_ = child->tag;
            me->cancel_others(child);
        }
        // A successful child's result can be taken now, while its frame is
        // still in cache, and the child freed (gather of a vector does this:
        // one pass over the children instead of two). The child is inside
        // its final_suspend, which touches nothing after this call returns.
        if (!failed && me->harvest_ != nullptr) {
            if (me->nodes_ != nullptr) me->nodes_[child->tag] = nullptr;
            me->harvest_(me, child);
        }
        if (me->first_wins_ && me->first_done_ == none) {
            me->first_done_ = child->tag;
            me->cancel_others(child);
        }
        if (--me->remaining_ == 0) return me->resume_waiter();
        return std::noop_coroutine();
    }

    // Step 4 (forwarding_awaiter's forward step).
    void forward_cancel() noexcept { cancel_others(nullptr); }

    void cancel_others(task_node* except) noexcept {
        for (std::size_t i = 0; i < count_; ++i) {
            task_node* n = nodes_ != nullptr ? nodes_[i] : child_at_(this, i);
            if (n != nullptr && n != except) n->cancel();
        }
    }
    task_node** nodes_ = nullptr;
    std::size_t count_ = 0;
    std::size_t remaining_ = 0;
    std::size_t first_failed_ = none;
    std::size_t first_done_ = none;
    bool first_wins_;
};

}  // namespace tinyrt::detail
