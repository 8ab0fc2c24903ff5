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
// The fast path (a group created on worker W, spawning on W, its child
// popped back and run by W, which is what almost every fib call does) uses
// no atomic read-modify-write and no fence (the child stays in the owner's
// private buffer, local_queue.hpp):
//   - owner_pending_ is a plain counter that only the owner thread touches:
//     +1 when the owner spawns, -1 when the owner itself runs that child;
//   - every other spawn or completion (a child stolen and finished by a
//     thief, a spawn from another thread) goes through remote_, an atomic
//     holding 2 x (other spawns - other completions), plus bit 0 = "a waiter
//     may sleep on this word". It goes negative when thieves finish owner
//     spawned children; the sum of both parts is the number still pending.
//
// Bounded stack while waiting (why wait() is not just "run anything"): the
// owner's wait() pops its own deque only above mark_, the lowest bottom index
// at which this group pushed. Every entry there was pushed after the group
// started: it is one of its children or a descendant, never an outer frame's
// pending task. So nested waits on the owner form a chain of strictly nested
// frames and the stack grows no deeper than the recursion itself (fib(35):
// 35 frames). Stealing from another worker's deque is also allowed, but
// only task_group children (fork-join tasks; a stolen pool.spawn task is
// moved to the injection queue instead, and the injection queue is not
// looked at), and only up to a fixed nesting depth (max_help_depth in
// pool.cpp); deeper, the wait spins and then sleeps on remote_. The stack is
// then at most max_help_depth x (one task tree's depth) frames.
//
// Why only fork-join children: a task run while waiting sits on top of the
// waiting frame, which cannot return before it does. A pool.spawn task may
// join anything (the task this frame belongs to, for one), which deadlocks
// if it was run on top of that task's frame (pool.cpp explains the rule).
//
// Known limits of that rule (each a deadlock, none of them in the tests):
//   - a child that joins a pool.spawn task (or waits for anything) that
//     itself waits, directly or not, for a frame of the worker that stole the
//     child: e.g. task P waits in a task_group on worker W1, W1 steals child
//     c of another group, and c joins P. Children should wait only for their
//     own descendants (their own task_groups).
//   - a child spawned into a group owned by a worker from a thread that is
//     not one of this pool's workers goes to the injection queue, which a
//     waiting worker does not read: if every worker waits (one worker
//     waiting on that very group), nobody runs it. Spawn into a group only
//     from its owner or from its children, as spawn() says.
#pragma once

#include <atomic>
#include <climits>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/sched/pool.hpp"

namespace tinyrt {

class task_group {
public:
    // Call from any thread; the group must be waited on by the same thread.
    explicit task_group(pool& p) noexcept
        : pool_(p),
          owner_(owner_worker(p)),
          mark_(owner_ != nullptr ? owner_->queue.logical_bottom() : INT64_MAX) {}
    task_group(const task_group&) = delete;
    task_group& operator=(const task_group&) = delete;

    // Waits for the children still running. An exception nobody observed
    // through wait() is ignored here (a destructor cannot throw it).
    ~task_group() {
        if (!finished(this)) wait_for_children();
    }

    // Runs f() on the pool as a child of this group. Callable from the
    // owner thread or from inside any child (running on this pool: see
    // "Known limits" above for other threads).
    template <typename F>
    void spawn(F&& f) {
        using Fn = std::decay_t<F>;
        detail::worker* w = detail::tls_worker;
        bool by_owner = w != nullptr && w == owner_;
        if (!by_owner) pool_.check_accepting();  // from outside: refused once ~pool() started
        detail::task_block* b = detail::acquire_block();
        detail::block_guard guard{b};
        if constexpr (sizeof(job<Fn>) <= detail::task_storage_size && alignof(Fn) <= 16) {
            new (b->storage) job<Fn>{Fn(std::forward<F>(f)), this, by_owner};
            b->run = &job<Fn>::run;
        } else {
            using Boxed = detail::boxed<Fn>;
            new (b->storage) job<Boxed>{Boxed(Fn(std::forward<F>(f))), this, by_owner};
            b->run = &job<Boxed>::run;
        }
        b->kind = detail::task_kind::fork_join;
        guard.dismiss();
        if (by_owner) {
            ++owner_pending_;
            std::int64_t bottom = w->queue.logical_bottom();
            if (bottom < mark_)
                mark_ = bottom;  // keeps "all entries >= mark_ are newer than the group"
            pool_.push_local(*w, b);
        } else {
            // The spawner is the owner (before wait) or a pending child, so the
            // waiter cannot see the count reach zero before this add.
            remote_.fetch_add(
                2,
                detail::relaxed);  // relaxed: remote_'s modification order follows happens-before
            pool_.submit(b);
        }
    }

    // Returns when every child has finished; rethrows the first exception a
    // child threw. Runs other tasks meanwhile (see above). Owner thread only.
    void wait() {
        if (owner_ != nullptr) run_own_children();
        if (!finished(this)) wait_for_children();
#if TINYRT_EXCEPTIONS
        if (failed_.load(detail::acquire)) {  // pairs with the acq_rel exchange in capture()
            failed_.store(
                false, detail::relaxed);  // only the waiter resets it, after every child finished
            std::rethrow_exception(std::exchange(error_, nullptr));
        }
#endif
    }

private:
    template <typename Fn>
    struct job {
        Fn fn;
        task_group* group;
        bool by_owner;

        static void run(detail::task_block* b) noexcept {
            job* j = detail::job_in<job>(b);
            task_group* g = j->group;
            bool by_owner = j->by_owner;
#if TINYRT_EXCEPTIONS
            try {
                j->fn();
            } catch (...) {
                g->capture(std::current_exception());
            }
#else
            j->fn();
#endif
            j->~job();
            detail::release_block(b);
            g->child_done(by_owner);  // the group may be gone after this
        }
    };

    static detail::worker* owner_worker(pool& p) noexcept {
        detail::worker* w = detail::tls_worker;
        return w != nullptr && w->owner == &p ? w : nullptr;
    }

    void child_done(bool by_owner) noexcept {
        if (by_owner && detail::tls_worker == owner_) {
            --owner_pending_;  // the owner thread itself: plain counter
            return;
        }
        // release: publishes the child's writes to the acquire load in finished().
        std::uint32_t before = remote_.fetch_sub(2, detail::release);  // see the line above
        // The waiter may return (and the group die) as soon as the sub lands.
        // futex_wake only passes the address to the kernel and never reads
        // it, so waking a dead word is a harmless spurious wake-up at worst.
        if ((before & 1U) != 0) detail::futex_wake(remote_, INT_MAX);
    }

#if TINYRT_EXCEPTIONS
    void capture(std::exception_ptr e) noexcept {
        // First failure wins; acq_rel pairs with the acquire load in wait().
        bool already = failed_.exchange(true, detail::acq_rel);  // see the line above
        if (!already) error_ = std::move(e);
    }
#endif

    static bool finished(const void* self) noexcept {
        auto* g = static_cast<const task_group*>(self);
        auto remote = static_cast<std::int32_t>(
            g->remote_.load(detail::acquire));  // pairs with the release fetch_sub in child_done()
        return g->owner_pending_ + (remote >> 1) == 0;
    }

    // Fast path, inline: the owner pops its own children (LIFO, above mark_)
    // and runs them until none is left in its queue. Owner thread only.
    void run_own_children() noexcept {
        detail::worker& w = *owner_;
        while (!finished(this) && w.queue.logical_bottom() > mark_) {
            detail::task_block* b = pool_.pop_local(w);
            if (b == nullptr) break;
            pool_.run_task(w, b);
        }
    }

    [[gnu::noinline]] void wait_for_children() noexcept {
        if (finished(this)) return;
        detail::wait_until({&remote_, &finished, this, owner_ != nullptr ? mark_ : INT64_MIN});
        remote_.fetch_and(
            ~1U,
            detail::relaxed);  // clear the waiter bit; every child is done, nobody else writes now
    }

    pool& pool_;
    detail::worker* owner_;           // the worker that created the group, or null
    std::int64_t mark_;               // see "Bounded stack" above
    std::int64_t owner_pending_ = 0;  // owner thread only: spawned by it, not yet run by it
    std::atomic<std::uint32_t> remote_{0};
#if TINYRT_EXCEPTIONS
    std::atomic<bool> failed_{false};
    std::exception_ptr error_;
#endif
};

}  // namespace tinyrt

#include "tinyrt/sched/map.hpp"
