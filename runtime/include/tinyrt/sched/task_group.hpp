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
//     holding 4 x (other spawns - other completions), plus bit 0 = "a waiter
//     may sleep on this word" and bit 1, which a spawn from outside the pool
//     flips to wake the waiter (below). It goes negative when thieves finish
//     owner spawned children; the sum of both parts is the number still
//     pending.
//
// Bounded stack while waiting (why wait() is not just "run anything"): the
// owner's wait() pops its own deque only above mark_, the lowest bottom index
// at which this group pushed. Every entry there was pushed after the group
// started: it is one of its children or a descendant, never an outer frame's
// pending task. So nested waits on the owner form a chain of strictly nested
// frames and the stack grows no deeper than the recursion itself (fib(35):
// 35 frames). A group created on a worker of another pool takes its mark on
// that worker's deque the same way. Stealing from another worker's deque is
// also allowed, but only task_group children (fork-join tasks; a stolen
// pool.spawn task is moved to the injection queue instead, and the injection
// queue is not looked at), and only up to a fixed nesting depth
// (max_help_depth in pool.cpp); deeper, the wait spins and then sleeps on
// remote_. The stack is then at most max_help_depth x (one task tree's
// depth) frames. The whole rule, and why it is safe, is in pool.cpp ("What a
// waiting worker may run").
//
// Children from outside the pool (a spawn on a thread that is not one of the
// pool's workers: the group was created on main, an event loop or a worker
// of another pool, or a child running there spawns into it). Such a child
// does not go onto the spawning thread's deque, where the wrong pool's
// workers would run it, and not only to the pool: every worker of the pool
// may be waiting. It goes to two places, and whoever claims it first runs
// it (pool.cpp, rules 2 and 5):
//   - the group's own list (foreign_, a stack of blocks): the group's waiter
//     claims and runs the children it finds there, at any depth, as a guest
//     when it is a worker of another pool (worker.hpp); a waiter that is no
//     pool's worker only retires them;
//   - a ticket in the pool's queue of children from outside (pool.hpp),
//     which idle and waiting workers of the pool take.
// Each such block holds two references (list, ticket) and a state word:
//   spawn:   remote_ += 4; push on the list (release); queue the ticket;
//            flip bit 1 of remote_ (release) and wake a sleeping waiter. The
//            spawner is the owner thread or a pending child, so the group
//            lives throughout, as for any remote spawn.
//   ticket:  claim (fetch_or claimed); the winner runs the closure, then sets
//            `ran`; if the waiter had already retired the entry, it drops
//            the count (remote_ -= 4, waking the waiter). Then it drops its
//            reference; after `ran` it never touches the group.
//   waiter:  takes the whole list (exchange), and for each entry sets
//            `retired` (claiming it too when it may run tasks, as a guest on
//            a worker of another pool: pool.cpp, "Guests"): if it won the
//            claim it runs the child and drops the count; if the child had
//            already run elsewhere (`ran` seen) it drops the count; else the
//            one running it will. Then it drops its reference.
// So a child from outside is counted until it has both run and been retired:
// when finished() is true the list is empty, and the fast path needs no
// extra check. The waiter never sleeps with entries in its list: the spawn
// pushes before it flips bit 1, so either the waiter's fetch_or of bit 0
// sees the push, or the flip sees bit 0 and wakes it, and the futex word
// differs from the value it would sleep on either way.
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

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
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
        if (!finished(this)) wait_for_children();
    }

    // Runs f() on the pool as a child of this group. Callable from the
    // owner thread (the one that created the group) or from inside any child,
    // wherever it runs. From a thread that is not a worker of this pool, the
    // child goes to the group's list and to the pool ("Children from outside
    // the pool" above).
    template <typename F>
    void spawn(F&& f) {
        using Fn = std::decay_t<F>;
        detail::worker* w = detail::tls_worker;
        bool by_owner = w != nullptr && w == owner_;
        if (!by_owner) {
            pool_.check_accepting();  // from outside: refused once ~pool() started
            if (w == nullptr || w->owner != &pool_) {
                spawn_from_outside(std::forward<F>(f));
                return;
            }
        }
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
            // A worker of this pool, not the owner: the spawner is a pending
            // child, so the waiter cannot see the count reach zero before this add.
            // relaxed: remote_'s modification order follows happens-before
            remote_.fetch_add(one_child, detail::relaxed);
            pool_.push_local(*w, b);
        }
    }

    // Returns when every child has finished; rethrows the first exception a
    // child threw. Runs other tasks meanwhile (see above). Owner thread only.
    void wait() {
        if (owner_ != nullptr) run_own_children();
        if (!finished(this)) wait_for_children();
#if TINYRT_EXCEPTIONS
        if (failed_.load(detail::acquire)) {  // pairs with the acq_rel exchange in capture()
            // only the waiter resets it, after every child finished
            failed_.store(false, detail::relaxed);
            std::rethrow_exception(std::exchange(error_, nullptr));
        }
#endif
    }

private:
    // The bits of remote_ (see the top of the file).
    static constexpr std::uint32_t waiter_bit = 1;  // a waiter may sleep on remote_
    static constexpr std::uint32_t poke_bit = 2;    // flipped to wake the waiter
    static constexpr std::uint32_t one_child = 4;

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

    // A child spawned from outside the pool ("Children from outside the
    // pool" above): the header is at offset 0 of the block's storage.
    struct outside_child {
        static constexpr std::uint32_t claimed = 1;      // someone runs (ran) the closure
        static constexpr std::uint32_t ran = 2;          // the closure has returned
        static constexpr std::uint32_t retired = 4;      // the waiter took it off the list
        static constexpr std::uint32_t guest = 8;        // set with claimed by a guest waiter
        static constexpr std::uint32_t registered = 16;  // that guest is counted by the pool
        static constexpr std::uint32_t one_ref = 32;     // references: the ticket, the list entry

        detail::atomic<std::uint32_t> state{2 * one_ref};
        detail::task_block* next = nullptr;  // the group's list
        task_group* group;
        void (*execute)(detail::task_block*) noexcept;  // runs and destroys the closure

        explicit outside_child(task_group* g, void (*e)(detail::task_block*) noexcept)
            : group(g), execute(e) {}

        static outside_child* of(detail::task_block* b) noexcept {
            return detail::job_in<outside_child>(b);
        }

        // Drops one reference; the last one gives the block back.
        static void release(detail::task_block* b) noexcept {
            // acq_rel: the last owner sees every write of the other one.
            std::uint32_t before = of(b)->state.fetch_sub(one_ref, detail::acq_rel);  // see above
            if (before / one_ref == 1) {
                of(b)->~outside_child();
                detail::release_block(b);
            }
        }

        // The ticket's entry function, on a worker of the group's pool.
        static void run_ticket(detail::task_block* b) noexcept {
            outside_child* c = of(b);
            // acq_rel: a loser's acquire sees the winner's bits; the loser
            // gives up without touching the group.
            std::uint32_t before = c->state.fetch_or(claimed, detail::acq_rel);  // see above
            if ((before & claimed) != 0 && (before & guest) != 0) {
                // Lost to a guest: wait until the pool counts it (pool.cpp,
                // "Guests", step c). acquire: pairs with the guest's release
                // fetch_or of `registered`.
                while ((c->state.load(detail::acquire) & registered) == 0)
                    std::this_thread::yield();
            }
            if ((before & claimed) == 0) {
                task_group* g = c->group;
                c->execute(b);
                // release: the child's writes, to the waiter's retiring
                // fetch_or; acquire: pairs with that fetch_or when it came
                // first. Not retired yet: the waiter drops the count, and
                // the group may be gone as soon as this lands.
                std::uint32_t seen = c->state.fetch_or(ran, detail::acq_rel);  // see above
                if ((seen & retired) != 0) g->child_done(false);
            }
            release(b);
        }
    };

    // The closure of such a child, after the header.
    template <typename Fn>
    struct outside_job {
        static constexpr std::size_t fn_offset =
            (sizeof(outside_child) + alignof(Fn) - 1) / alignof(Fn) * alignof(Fn);
        static constexpr bool fits =
            fn_offset + sizeof(Fn) <= detail::task_storage_size && alignof(Fn) <= 16;

        static Fn* fn(detail::task_block* b) noexcept {
            return std::launder(reinterpret_cast<Fn*>(b->storage + fn_offset));
        }

        template <typename G>
        static void construct(detail::task_block* b, task_group* g, G&& f) {
            static_assert(fits);
            new (b->storage + fn_offset)
                Fn(std::forward<G>(f));  // first: if it throws, nothing is left to undo
            new (b->storage) outside_child(g, &execute);
            b->run = &outside_child::run_ticket;
            b->kind = detail::task_kind::fork_join;
        }

        static void execute(detail::task_block* b) noexcept {
            Fn* f = fn(b);
#if TINYRT_EXCEPTIONS
            try {
                (*f)();
            } catch (...) {
                outside_child::of(b)->group->capture(std::current_exception());
            }
#else
            (*f)();
#endif
            f->~Fn();
        }
    };

    template <typename F>
    void spawn_from_outside(F&& f) {
        using Fn = std::decay_t<F>;
        detail::task_block* b = detail::acquire_block();
        detail::block_guard guard{b};
        if constexpr (outside_job<Fn>::fits) {
            outside_job<Fn>::construct(b, this, std::forward<F>(f));
        } else {
            using Boxed = detail::boxed<Fn>;
            outside_job<Boxed>::construct(b, this, Boxed(Fn(std::forward<F>(f))));
        }
        guard.dismiss();
        push_from_outside(b);
    }

    // The spawn steps of "Children from outside the pool" (out of line: the
    // same for every closure type).
    [[gnu::noinline]] void push_from_outside(detail::task_block* b) noexcept {
        // The spawner is the owner thread or a pending child, so the waiter
        // cannot see the count reach zero before this add.
        // relaxed: remote_'s modification order follows happens-before
        remote_.fetch_add(one_child, detail::relaxed);
        outside_child* c = outside_child::of(b);
        // only a guess for the CAS, which re-reads it
        detail::task_block* head = foreign_.load(detail::relaxed);
        // release on success: the block's contents to the waiter's exchange;
        // a failure publishes nothing.
        do {
            c->next = head;
        } while (!foreign_.compare_exchange_weak(head, b, detail::release, detail::relaxed));
        pool_.submit_from_outside(b);
        // release: the push above, to the waiter's fetch_or of the waiter bit.
        std::uint32_t before = remote_.fetch_xor(poke_bit, detail::release);  // see above
        if ((before & waiter_bit) != 0) detail::futex_wake(remote_, INT_MAX);
    }

    // wait_target::help: takes the list and runs or retires every entry
    // (pool.cpp, rule 5). Waiter thread only.
    static bool help_from_outside(const void* self) noexcept {
        auto* g = const_cast<task_group*>(static_cast<const task_group*>(self));
        if (g->foreign_.load(detail::relaxed) == nullptr)  // a hint; the exchange decides
            return false;
        // acquire: pairs with the release CAS in push_from_outside().
        detail::task_block* b = g->foreign_.exchange(nullptr, detail::acquire);
        g->retire_from_outside(b);
        return true;
    }

    void retire_from_outside(detail::task_block* b) noexcept {
        // Off every pool: retire only. On one of our workers: claim too. On a
        // worker of another pool: claim as a guest (pool.cpp, "Guests").
        detail::worker* w = detail::tls_worker;
        const bool as_guest = w != nullptr && w->owner != &pool_;
        std::uint32_t mine = outside_child::retired;
        if (w != nullptr) mine |= outside_child::claimed;
        if (as_guest) mine |= outside_child::guest;  // ignored by everyone if the claim is lost
        std::optional<detail::guest_scope> counted;  // as a guest, from the first claim won
        while (b != nullptr) {
            outside_child* c = outside_child::of(b);
            detail::task_block* next = c->next;
            // acq_rel: acquire pairs with the executor's `ran` (its writes);
            // release pairs with its fetch_or when it comes after (it then
            // drops the count, and must see this group still waiting).
            std::uint32_t before = c->state.fetch_or(mine, detail::acq_rel);  // see above
            if (w != nullptr && (before & outside_child::claimed) == 0) {
                if (as_guest) {
                    if (!counted) counted.emplace(pool_);  // the pending ticket keeps pool_ alive
                    // release: the guest count, to the loser's wait in run_ticket().
                    c->state.fetch_or(outside_child::registered, detail::release);  // see above
                }
                c->execute(b);
                drop_own_count();
            } else if ((before & outside_child::ran) != 0) {
                drop_own_count();
            }  // else: still running elsewhere; its executor drops the count
            outside_child::release(b);
            b = next;
        }
    }

    // The waiter drops the count of a child from outside itself (no wake-up
    // needed: it is the one who would be woken).
    void drop_own_count() noexcept {
        // relaxed: read by this thread's own finished(); an RMW, so it
        // continues the release sequences of the other threads' updates.
        remote_.fetch_sub(one_child, detail::relaxed);
    }

    // w: the creating thread's worker (of any pool), or null.
    task_group(pool& p, detail::worker* w) noexcept
        : pool_(detail::core_of(p)),
          owner_(w != nullptr && w->owner == &pool_ ? w : nullptr),
          mark_(w != nullptr ? w->queue.logical_bottom() : INT64_MAX) {}

    void child_done(bool by_owner) noexcept {
        if (by_owner && detail::tls_worker == owner_) {
            --owner_pending_;  // the owner thread itself: plain counter
            return;
        }
        // release: publishes the child's writes to the acquire load in finished().
        std::uint32_t before = remote_.fetch_sub(one_child, detail::release);
        // The waiter may return (and the group die) as soon as the sub lands.
        // futex_wake only passes the address to the kernel and never reads
        // it, so waking a dead word is a harmless spurious wake-up at worst.
        if ((before & waiter_bit) != 0) detail::futex_wake(remote_, INT_MAX);
    }

#if TINYRT_EXCEPTIONS
    void capture(std::exception_ptr e) noexcept {
        // First failure wins; acq_rel pairs with the acquire load in wait().
        bool already = failed_.exchange(true, detail::acq_rel);
        if (!already) error_ = std::move(e);
    }
#endif

    static bool finished(const void* self) noexcept {
        auto* g = static_cast<const task_group*>(self);
        // pairs with the release fetch_sub in child_done()
        auto remote = static_cast<std::int32_t>(g->remote_.load(detail::acquire));
        return g->owner_pending_ + (remote >> 2) == 0;  // drops the two flag bits
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
        detail::wait_until({&remote_, &finished, this, mark_, &help_from_outside});
        // clear the waiter bit; every child is done, nobody else writes now
        remote_.fetch_and(~waiter_bit, detail::relaxed);
    }

    detail::sched_core& pool_;
    detail::worker* owner_;  // the worker of pool_ that created the group, or null
    // See "Bounded stack" above: on the creating thread's deque, whatever its
    // pool (INT64_MAX on a thread that is no pool's worker, which never pops).
    std::int64_t mark_;
    std::int64_t owner_pending_ = 0;  // owner thread only: spawned by it, not yet run by it
    detail::atomic<std::uint32_t> remote_{0};
    // Children spawned from outside the pool, not yet retired by the waiter.
    detail::atomic<detail::task_block*> foreign_{nullptr};
#if TINYRT_EXCEPTIONS
    detail::atomic<bool> failed_{false};
    std::exception_ptr error_;
#endif
};

}  // namespace tinyrt

#include "tinyrt/sched/map.hpp"
