// Children of a task_group spawned from outside its pool: the spawn happens
// on a thread that is not one of the pool's workers (the group was created
// on main, an event loop or a worker of another pool, or a child running
// there spawns into it).
//
// Such a child does not go onto the spawning thread's deque, where the wrong
// pool's workers would run it, and not only to the pool: every worker of the
// pool may be waiting. It goes to two places, and whoever claims it first
// runs it (DESIGN.md, "What a waiting worker may run", rules 3 and 5):
//   - the group's own list (outside_list, a stack of blocks): the group's
//     waiter claims and runs the children it finds there, at any depth, as
//     a guest when it is a worker of another pool (worker.hpp); a waiter
//     that is no pool's worker only retires them;
//   - a ticket in the pool's queue of children from outside (pool.hpp),
//     which the pool's workers take in their loop, never while they wait:
//     the child may join the very task a waiter's frame belongs to.
// Each such block holds two references (list, ticket) and a state word:
//   spawn:   count += 1; push on the list (release); queue the ticket;
//            poke the group (flip bit 1 of its word, release) and wake a
//            sleeping waiter. The spawner is the owner thread or a pending
//            child, so the group lives throughout, as for any remote spawn.
//   ticket:  claim (fetch_or claimed); the winner runs the closure, then sets
//            `ran`; if the waiter had already retired the entry, it drops
//            the count (waking the waiter). Then it drops its reference;
//            after `ran` it never touches the group.
//   waiter:  takes the whole list (exchange), and for each entry sets
//            `retired` (claiming it too when it may run tasks, as a guest on
//            a worker of another pool: DESIGN.md, "Guests"): if it won the
//            claim it runs the child and drops the count; if the child had
//            already run elsewhere (`ran` seen) it drops the count; else the
//            one running it will. Then it drops its reference.
// So a child from outside is counted until it has both run and been retired:
// when the group is finished the list is empty, and the fast path needs no
// extra check. The waiter never sleeps with entries in its list: the spawn
// pushes before it pokes, so either the waiter's fetch_or of its waiter bit
// sees the push, or the poke sees the bit and wakes it, and the futex word
// differs from the value it would sleep on either way.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <utility>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/os_thread.hpp"
#include "tinyrt/sched/detail/claimed_run.hpp"
#include "tinyrt/sched/detail/group_state.hpp"
#include "tinyrt/sched/detail/job_layout.hpp"
#include "tinyrt/sched/detail/worker.hpp"

namespace tinyrt::detail {

// The header of such a child's block, at offset 0 of its storage.
struct outside_child {
    static constexpr std::uint32_t claimed = 1;      // someone runs (ran) the closure
    static constexpr std::uint32_t ran = 2;          // the closure has returned
    static constexpr std::uint32_t retired = 4;      // the waiter took it off the list
    static constexpr std::uint32_t guest = 8;        // set with claimed by a guest waiter
    static constexpr std::uint32_t registered = 16;  // that guest is counted by the pool
    static constexpr std::uint32_t one_ref = 32;     // references: the ticket, the list entry

    detail::atomic<std::uint32_t> state{2 * one_ref};
    task_block* next = nullptr;  // the group's list
    group_state* group;
    void (*execute)(task_block*) noexcept;  // runs and destroys the closure

    outside_child(group_state* g, void (*e)(task_block*) noexcept) : group(g), execute(e) {}

    static outside_child* of(task_block* b) noexcept { return job_in<outside_child>(b); }

    // Drops one reference; the last one gives the block back.
    static void release(task_block* b) noexcept {
        // acq_rel: the last owner sees every write of the other one.
        std::uint32_t before = of(b)->state.fetch_sub(one_ref, acq_rel);  // see above
        if (before / one_ref == 1) {
            of(b)->~outside_child();
            release_block(b);
        }
    }

    // The ticket's entry function, on a worker of the group's pool.
    static void run_ticket(task_block* b) noexcept {
        outside_child* c = of(b);
        // acq_rel: a loser's acquire sees the winner's bits; the loser
        // gives up without touching the group.
        std::uint32_t before = c->state.fetch_or(claimed, acq_rel);  // see above
        if ((before & claimed) != 0 && (before & guest) != 0) {
            // Lost to a guest: wait until the pool counts it (DESIGN.md,
            // "Guests", step c). acquire: pairs with the guest's release
            // fetch_or of `registered`.
            while ((c->state.load(acquire) & registered) == 0) yield_thread();
        }
        if ((before & claimed) == 0) {
            group_state* g = c->group;
            run_claimed_here(b, c->execute);
            // release: the child's writes, to the waiter's retiring
            // fetch_or; acquire: pairs with that fetch_or when it came
            // first. Not retired yet: the waiter drops the count, and
            // the group may be gone as soon as this lands.
            std::uint32_t seen = c->state.fetch_or(ran, acq_rel);  // see above
            if ((seen & retired) != 0) g->child_done(false);
        }
        release(b);
    }
};

// The job of such a child (job_layout.hpp): the header, then the closure.
template <typename F>
struct outside_job {
    using slot = closure_slot<outside_child, F>;
    static constexpr bool fits = slot::fits;

    template <typename G>
    static outside_child* construct(task_block* b, G&& f, group_state* g) {
        slot::construct(b, std::forward<G>(f));
        auto* c = new (b->storage) outside_child(g, &execute);
        b->run = &block_entry<&outside_child::run_ticket>;
        b->kind = task_kind::outside_ticket;
        return c;
    }

    static void execute(task_block* b) noexcept {
        F* f = slot::get(b);
#if TINYRT_EXCEPTIONS
        try {
            (*f)();
        } catch (...) {
            outside_child::of(b)->group->capture(std::current_exception());
        }
#else
        (*f)();
#endif
        f->~F();
    }
};

// A group's list of children from outside, not yet retired by its waiter.
class outside_list {
public:
    // The spawn steps above, for a block built by make_job<outside_job>
    // (outside_children.cpp: the same for every closure type).
    void push(task_block* b, group_state& g, sched_core& pool) noexcept;

    // wait_target::help: takes the list and runs or retires every entry
    // (DESIGN.md, rule 5). Waiter thread only. True if it took anything.
    bool help(group_state& g, sched_core& pool) noexcept {
        if (head_.load(relaxed) == nullptr)  // a hint; the exchange decides
            return false;
        // acquire: pairs with the release CAS in push().
        retire(head_.exchange(nullptr, acquire), g, pool);
        return true;
    }

private:
    // The waiter's steps above, for every entry of a list it took.
    static void retire(task_block* b, group_state& g, sched_core& pool) noexcept;

    detail::atomic<task_block*> head_{nullptr};
};

}  // namespace tinyrt::detail
