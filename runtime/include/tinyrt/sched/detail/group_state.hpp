// A task_group's completion state: how many children are pending, the first
// failure, and the job of a child spawned on a worker of the group's pool.
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
//     flips to wake the waiter (outside_children.hpp). It goes negative when
//     thieves finish owner spawned children; the sum of both parts is the
//     number still pending.
#pragma once

#include <climits>
#include <cstdint>
#include <exception>
#include <new>
#include <utility>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/sched/detail/job_layout.hpp"
#include "tinyrt/sched/detail/worker.hpp"

namespace tinyrt::detail {

class group_state {
public:
    static constexpr std::uint32_t waiter_bit = 1;  // a waiter may sleep on remote_
    static constexpr std::uint32_t poke_bit = 2;    // flipped to wake the waiter
    static constexpr std::uint32_t one_child = 4;

    // owner: the creating thread's worker if it is a worker of the group's
    // pool, else null.
    explicit group_state(worker* owner) noexcept : owner_(owner) {}
    group_state(const group_state&) = delete;
    group_state& operator=(const group_state&) = delete;

    worker* owner() const noexcept { return owner_; }

    // The owner thread spawned a child.
    void owner_spawned() noexcept { ++owner_pending_; }

    // The owner thread itself ran a child it spawned (the typed path of
    // inline_child.hpp; a block child calls child_done).
    void owner_child_done() noexcept { --owner_pending_; }

    // Any other spawn. The spawner is the owner thread or a pending child,
    // so the waiter cannot see the count reach zero before this add.
    void other_spawned() noexcept {
        // relaxed: remote_'s modification order follows happens-before
        remote_.fetch_add(one_child, relaxed);
    }

    // A child has finished (its closure returned, its block released).
    // The group may be gone as soon as this returns.
    void child_done(bool by_owner) noexcept {
        if (by_owner && tls_worker == owner_) {
            --owner_pending_;  // the owner thread itself: plain counter
            return;
        }
        // release: publishes the child's writes to the acquire load in finished().
        std::uint32_t before = remote_.fetch_sub(one_child, release);
        // The waiter may return (and the group die) as soon as the sub lands.
        // futex_wake only passes the address to the kernel and never reads
        // it, so waking a dead word is a harmless spurious wake-up at worst.
        if ((before & waiter_bit) != 0) futex_wake(remote_, INT_MAX);
    }

    // The waiter drops the count of a child from outside itself (no wake-up
    // needed: it is the one who would be woken).
    void drop_own_count() noexcept {
        // relaxed: read by this thread's own finished(); an RMW, so it
        // continues the release sequences of the other threads' updates.
        remote_.fetch_sub(one_child, relaxed);
    }

    // Wakes the waiter after work was given to the group itself (a child
    // from outside pushed on its list, before this call).
    void poke() noexcept {
        // release: the push before it, to the waiter's fetch_or of the waiter bit.
        std::uint32_t before = remote_.fetch_xor(poke_bit, release);
        if ((before & waiter_bit) != 0) futex_wake(remote_, INT_MAX);
    }

    // wait_target::done: every child has finished.
    static bool finished(const void* self) noexcept {
        auto* g = static_cast<const group_state*>(self);
        // pairs with the release fetch_sub in child_done()
        auto remote = static_cast<std::int32_t>(g->remote_.load(acquire));
        return g->owner_pending_ + (remote >> 2) == 0;  // drops the two flag bits
    }

    // The futex word a waiter sleeps on (wait_target::word).
    detail::atomic<std::uint32_t>* word() noexcept { return &remote_; }

    // After the wait: every child is done, nobody else writes now.
    void clear_waiter_bit() noexcept {
        // see above: no other writer is left
        remote_.fetch_and(~waiter_bit, relaxed);
    }

#if TINYRT_EXCEPTIONS
    void capture(std::exception_ptr e) noexcept {
        // First failure wins; acq_rel pairs with the acquire load in rethrow_failure().
        bool already = failed_.exchange(true, acq_rel);
        if (!already) error_ = std::move(e);
    }
    // Waiter only, after every child finished: rethrows the first failure.
    void rethrow_failure() {
        if (failed_.load(acquire)) {  // pairs with the acq_rel exchange in capture()
            // only the waiter resets it, after every child finished
            failed_.store(false, relaxed);
            std::rethrow_exception(std::exchange(error_, nullptr));
        }
    }
#endif

private:
    worker* owner_;
    std::int64_t owner_pending_ = 0;  // owner thread only: spawned by it, not yet run by it
    detail::atomic<std::uint32_t> remote_{0};
#if TINYRT_EXCEPTIONS
    detail::atomic<bool> failed_{false};
    std::exception_ptr error_;
#endif
};

// A child spawned on a worker of the group's pool (job_layout.hpp): the
// group and whether the owner spawned it, then the closure.
struct child_header {
    group_state* group;
    bool by_owner;
};

template <typename F>
struct child_job {
    using slot = closure_slot<child_header, F>;
    static constexpr bool fits = slot::fits;

    template <typename G>
    static child_header* construct(task_block* b, G&& g, group_state* group, bool by_owner) {
        slot::construct(b, std::forward<G>(g));
        auto* h = new (b->storage) child_header{group, by_owner};
        b->run = &block_entry<&run>;
        b->kind = task_kind::fork_join;
        return h;
    }

    static void run(task_block* b) noexcept {
        const child_header h = *job_in<child_header>(b);
        F* f = slot::get(b);
#if TINYRT_EXCEPTIONS
        try {
            (*f)();
        } catch (...) {
            h.group->capture(std::current_exception());
        }
#else
        (*f)();
#endif
        f->~F();
        release_block(b);
        h.group->child_done(h.by_owner);  // the group may be gone after this
    }
};

}  // namespace tinyrt::detail
