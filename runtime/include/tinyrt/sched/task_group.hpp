// tinyrt::task_group: fork-join. spawn() many tasks, wait() for all of them;
// wait() runs tasks while it waits (oneTBB's task_group, Cilk's sync).
//
//   int fib(tinyrt::pool& p, int n) {
//       if (n < 2) return n;
//       int a = 0;
//       tinyrt::task_group g{p};
//       g.spawn([&] { a = fib(p, n - 1); });
//       int b = fib(p, n - 2);
//       g.wait();
//       return a + b;
//   }
//
// Wait for the children only through wait(). Inside a task, a child may sit
// in the spawning worker's private buffer (local_queue.hpp) until that
// worker's next push or pop; blocking on another primitive instead (a latch,
// a mutex, a future) delays such children until the parent returns, which
// deadlocks if the parent waits for them. (pool.spawn tasks are always
// public and have no such restriction.)
//
// The parts: the count of pending children and the first failure
// (detail/group_state.hpp, with the fast path that needs no atomic
// read-modify-write), children spawned from outside the pool
// (detail/outside_children.hpp), the job layout (detail/job_layout.hpp).
// What wait() may run while it waits, and why that keeps the stack bounded
// and never deadlocks on its own: DESIGN.md, "What a waiting worker may
// run" (the helping rule). In short: the owner pops its own deque only above
// mark_ (the bottom when the group was created, or the lowest index it
// pushed at if lower), so it runs only work pushed after the group started:
// its own children and their descendants; from other workers it takes only
// task_group children, to a bounded nesting depth.
//
// Known limits (deadlocks, none of them in the tests):
//   - a child that joins a pool.spawn task (or waits for anything) that
//     itself waits, directly or not, for a frame of the worker that stole the
//     child: e.g. task P waits in a task_group on worker W1, W1 steals child
//     c of another group, and c joins P. Children should wait only for their
//     own descendants (their own task_groups).
//   - a group whose waiter is no pool's worker (main, say) and whose
//     children, spawned from outside, only the pool's workers run: if every
//     one of them is blocked in a wait that needs those children (through a
//     latch, a mutex), nobody runs them. Workers of any pool run their own
//     groups' children themselves.
#pragma once

#include <cstdint>
#include <utility>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/detail/group_state.hpp"
#include "tinyrt/sched/detail/inline_child.hpp"
#include "tinyrt/sched/detail/job_layout.hpp"
#include "tinyrt/sched/detail/outside_children.hpp"
#include "tinyrt/sched/pool.hpp"

namespace tinyrt {

class task_group {
public:
    // Call from any thread; the group must be waited on by the same thread.
    explicit task_group(pool& p) noexcept : task_group(p, detail::tls_worker) {}
    task_group(const task_group&) = delete;
    task_group& operator=(const task_group&) = delete;

    // Waits for the children still running. An exception nobody observed
    // through wait() is ignored here (a destructor cannot throw it).
    ~task_group() {
        if (!detail::group_state::finished(&state_)) wait_for_children();
    }

    // Runs f() on the pool as a child of this group. Callable from the
    // owner thread (the one that created the group) or from inside any child,
    // wherever it runs. From a thread that is not a worker of this pool, the
    // child goes to the group's list and to the pool
    // (detail/outside_children.hpp).
    // Timeline (pool_options::trace): the child is named by the call's
    // source location, or by a name given instead (tinyrt/task_name.hpp).
    // Always inline (so is wait()): a recursive caller such as fib then keeps
    // one frame with one register save instead of three whatever the
    // inliner's budget (callgrind, fib on one worker at -O2: about 12
    // instructions per spawn; -O3 inlined them already in a small program).
    template <typename F>
    [[gnu::always_inline]] void spawn(F&& f,
                                      tinyrt::task_name name = tinyrt::source_location::current()) {
        detail::worker* w = detail::tls_worker;
        const bool by_owner = w != nullptr && w == state_.owner();
        // From outside: refused once ~pool() started, counted until queued.
        const detail::sched_core::admission admitted =
            by_owner ? detail::sched_core::admission{nullptr} : pool_.check_accepting();
        if (!by_owner) {
            if (w == nullptr || w->owner != &pool_) {
                spawn_from_outside(std::forward<F>(f), name);
                return;
            }
        }
        if (by_owner) {
            if constexpr (detail::inline_child::fits<std::decay_t<F>>) {
                if (inline_.free()) [[likely]] {
                    inline_.construct<std::decay_t<F>>(std::forward<F>(f), &state_);
                    if (pool_.tracer() != nullptr) [[unlikely]]
                        pool_.trace_child_spawn(&inline_, name);
                    push_own(*w, &inline_);
                    return;
                }
            }
        }
        auto [b, header] =
            detail::make_job_in<detail::child_job>(w->cache, std::forward<F>(f), &state_, by_owner);
        (void)header;
        if (pool_.tracer() != nullptr) [[unlikely]]
            pool_.trace_child_spawn(b, name);
        if (by_owner) {
            push_own(*w, b);
        } else {
            // A worker of this pool, not the owner: the spawner is a pending child.
            state_.other_spawned();
            pool_.push_local(*w, b);
        }
    }

    // Returns when every child has finished; rethrows the first exception a
    // child threw. Runs other tasks meanwhile (see above). Owner thread only.
    [[gnu::always_inline]] void wait() {
        const bool done =
            state_.owner() != nullptr ? run_own_children() : detail::group_state::finished(&state_);
        if (!done) wait_for_children();
        inline_.release();  // every child has finished
#if TINYRT_EXCEPTIONS
        state_.rethrow_failure();
#endif
    }

private:
    // w: the creating thread's worker (of any pool), or null.
    task_group(pool& p, detail::worker* w) noexcept
        : pool_(detail::core_of(p)),
          state_(w != nullptr && w->owner == &pool_ ? w : nullptr),
          mark_(w != nullptr ? w->queue.logical_bottom() : INT64_MAX) {}

    // The owner thread queues one of its children: counted in the plain
    // counter, and mark_ kept the lowest index it pushed at.
    void push_own(detail::worker& w, detail::task_header* h) {
        state_.owner_spawned();
        const std::int64_t bottom = w.queue.logical_bottom();
        if (bottom < mark_)
            mark_ = bottom;  // keeps "all entries >= mark_ are newer than the group"
        pool_.push_local(w, h);
    }

    template <typename F>
    void spawn_from_outside(F&& f, tinyrt::task_name name) {
        auto [b, header] = detail::make_job<detail::outside_job>(std::forward<F>(f), &state_);
        (void)header;
        if (pool_.tracer() != nullptr) [[unlikely]]
            pool_.trace_child_spawn(b, name);
        outside_.push(b, state_, pool_);
    }

    // Fast path, inline: the owner pops its own children (LIFO, above mark_)
    // and runs them until none is left in its queue. Owner thread only.
    // Returns finished() as last read, so that wait() does not read the
    // counters once more. It reads them only after a run, not before the
    // first pop: what it pops above mark_ was pushed after the group started
    // (its children, or the newer work rule 1 lets a waiter run), so popping
    // it is right even when every child has already finished.
    bool run_own_children() noexcept {
        detail::worker& w = *state_.owner();
        for (;;) {
            if (w.queue.logical_bottom() <= mark_) return detail::group_state::finished(&state_);
            bool moved = false;
            detail::task_header* b = pool_.pop_for_waiter(w, moved);
            if (b == &inline_ && !pool_.tracing_here()) [[likely]] {
                w.counters.tasks_run.add();
                inline_.run_by_owner();
                state_.owner_child_done();
            } else if (b != nullptr) {
                pool_.run_task(w, b);
            } else if (!moved) {
                return detail::group_state::finished(&state_);
            }
            if (detail::group_state::finished(&state_)) return true;
        }
    }

    // wait_target::help: the children from outside in the group's list.
    static bool help_from_outside(const void* self) noexcept {
        auto* g = const_cast<task_group*>(static_cast<const task_group*>(self));
        return g->outside_.help(g->state_, g->pool_);
    }
    static bool finished(const void* self) noexcept {
        return detail::group_state::finished(&static_cast<const task_group*>(self)->state_);
    }

    [[gnu::noinline]] void wait_for_children() noexcept {
        if (finished(this)) return;
        detail::wait_until({state_.word(), &finished, this, mark_, &help_from_outside});
        state_.clear_waiter_bit();
    }

    detail::sched_core& pool_;
    detail::group_state state_;
    // The bound of what wait() pops from the creating thread's deque, whatever
    // its pool (INT64_MAX on a thread that is no pool's worker, which never
    // pops): every entry at or above it was pushed after the group started.
    // It is the bottom when the group was created, lowered by any owner push
    // below it. wait_until takes a copy when the wait starts, so the mark
    // must already cover what the owner thread pushes during its own wait (a
    // child it runs there may spawn into the group).
    std::int64_t mark_;
    detail::outside_list outside_;
    // The owner's first child, when its closure fits (detail/inline_child.hpp).
    detail::inline_child inline_;
};

}  // namespace tinyrt

#include "tinyrt/sched/map.hpp"
