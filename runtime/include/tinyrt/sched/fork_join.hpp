// tinyrt::join(a, b): run two closures, maybe in parallel, and return both
// results (rayon's join, Cilk's spawn + sync on one child).
//
//   int fib(int n) {
//       if (n < 2) return n;
//       auto [x, y] = tinyrt::join([&] { return fib(n - 1); }, [&] { return fib(n - 2); });
//       return x + y;
//   }
//
// Contract:
//   - Both closures are called exactly once, as lvalues. The result is a
//     std::pair of their values; a closure returning void gives
//     std::monostate.
//   - On a pool worker (of any pool; also while it runs another pool's task
//     as a guest), b is offered to that worker's pool and a runs inline.
//     Then the caller takes b back and calls it itself unless another
//     worker stole it meanwhile; if so, it helps (runs what DESIGN.md,
//     "What a waiting worker may run", allows, as task_group::wait does)
//     until b has finished.
//   - Off every pool (main, an event loop thread), a and then b run inline
//     on the calling thread. There is no global pool to send b to.
//   - b always finishes before join returns, also when a throws. If a
//     throws, its exception is rethrown (b's, if b threw too, is dropped);
//     else b's, if b threw.
//   - Like a task_group child, b may sit in the caller's private buffer
//     (local_queue.hpp) until the caller's next push or pop: a must not
//     block outside tinyrt (a latch, a mutex) on something b does.
//   - join allocates nothing: b's job lives in the caller's frame
//     (detail/stack_job.hpp). Pool statistics count b as a spawned task
//     only when it was stolen (then it ran as one).
//
// Cost of the common case (b not stolen): a push and a pop of the private
// buffer (no fence, no atomic read-modify-write), and a direct call of b.
#pragma once

#include <type_traits>
#include <utility>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/detail/stack_job.hpp"
#include "tinyrt/sched/detail/worker.hpp"
#include "tinyrt/sched/pool.hpp"

namespace tinyrt {

namespace detail {

// Calls a and returns its value. If a throws, settle_b() runs first (it
// makes sure b has finished; b's own exception is dropped), then a's
// exception propagates.
template <typename A, typename Settle>
join_value_t<A> call_first(A& a, Settle&& settle_b) {
#if TINYRT_EXCEPTIONS
    try {
        return call_for_value(a);
    } catch (...) {
        try {
            settle_b();
        } catch (...) {  // a's exception wins
        }
        throw;
    }
#else
    (void)settle_b;
    return call_for_value(a);
#endif
}

// The uncommon end of a join on worker w: the pop after a returned gave h,
// not b's job. h (if any) and everything else above b were pushed after the
// join started, so running them here is rule 1 (DESIGN.md, "What a waiting
// worker may run"). Then either b's job comes back (b runs inline) or it
// was stolen: help until the thief has finished it, and take its outcome.
template <typename B>
[[gnu::noinline]] join_value_t<B> settle(worker& w, stack_job<B>& job, task_header* h) {
    sched_core& core = *w.owner;
    for (; h != nullptr; h = core.pop_local(w)) {
        if (h == &job) return job.call_inline();
        if (h->kind == task_kind::fork_join) {
            core.run_task(w, h);
        } else {
            core.hand_spawn_to_loop(h);  // not on top of this frame (sched_core::pop_for_waiter)
        }
    }
    w.counters.tasks_spawned.add();  // it ran as a task (run_task counted it)
    // Nothing is left at or above b's index: the current bottom is rule 1's mark.
    wait_until({job.word(), &stack_job<B>::finished, &job, w.queue.logical_bottom(), nullptr});
    return job.take_result();
}

// join on the calling pool worker w.
template <typename A, typename B>
std::pair<join_value_t<A>, join_value_t<B>> join_on(worker& w, A& a, B& b) {
    sched_core& core = *w.owner;
    stack_job<B> job(b);
    core.push_job(w, &job);
    join_value_t<A> ra = call_first(a, [&] { (void)settle(w, job, core.pop_local(w)); });
    task_header* h = core.pop_local(w);
    if (h == &job) [[likely]]
        return {std::move(ra), call_for_value(b)};  // the common case: b's static type, no block
    return {std::move(ra), settle(w, job, h)};
}

}  // namespace detail

template <typename A, typename B>
std::pair<detail::join_value_t<A>, detail::join_value_t<B>> join(A&& a, B&& b) {
    if (detail::worker* w = detail::tls_worker) [[likely]] {
        return detail::join_on(*w, a, b);
    }
    detail::join_value_t<A> ra = detail::call_first(a, [&] { (void)detail::call_for_value(b); });
    return {std::move(ra), detail::call_for_value(b)};
}

}  // namespace tinyrt
