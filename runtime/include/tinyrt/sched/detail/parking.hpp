// Idle workers: searching, parking without burning CPU, and waking without
// losing a wake-up.
//
// State (one `idle_set` per pool):
//   sleepers_   the stack of parked workers (under mutex_) and its size,
//               also kept in an atomic so notifiers can skip the lock.
//   searching_  workers stealing right now. Capped at half the pool, so one
//               spawn does not wake everybody and thieves do not all fight
//               over one deque. A worker woken by notify_one() is counted as
//               searching by the notifier itself, so the spawns that follow
//               see searching_ > 0 and do not wake a second worker for the
//               same burst of work (no wake-up storm).
//   bell_[i]    worker i's futex word: 0 asleep, 1 rung.
//   idle_workers_  workers in the worker loop with nothing to run (from a
//               failed pop until they get a task); all start idle. Only a
//               hint for local_queue's publication. A worker waiting inside
//               join/wait is not counted: it steals, and its failed steals
//               ask victims to publish (local_queue.hpp, step 3).
//
// Park protocol (worker w, after a bounded search found nothing):
//   1. lock; push w on the stack; sleepers_ += 1 (seq_cst); unlock  (announce)
//   2. asymmetric_heavy_fence()    pairs with the light fence after pushes
//   3. re-check every queue: injection count, every deque, shutdown
//   4. found work: lock; if w is still on the stack, take it off and
//      sleepers_ -= 1; unlock. If a notifier took it off first, w was rung:
//      it is now a counted searcher. Either way, go search.
//   5. otherwise futex_wait(bell_[w], 0) until the bell reads 1, then reset
//      it. w was rung by a notifier and is a counted searcher.
//
// Notify protocol (after publishing work: a deque push or an injection):
//   a. publish the work (the deque's bottom store / the injection count RMW)
//   b. fence: the light asymmetric fence after a deque push; the injection
//      count's seq_cst RMW is already one
//   c. if sleepers_ == 0 or searching_ > 0: return  (someone will see it)
//   d. lock; pop a sleeper v; sleepers_ -= 1; searching_ += 1; unlock
//   e. bell_[v] = 1; futex_wake(bell_[v])
//
// Correctness (no lost wake-up). Steps 1-3 and a-c form a store-buffering
// pair with a full fence on each side, so either the notifier's load in c
// sees the announcement of step 1 (and pops a sleeper, which is then rung
// whether or not it has reached futex_wait: the bell stays 1), or the
// re-check of step 3 sees the work. The "searching_ > 0" shortcut in c is
// safe because a searcher leaves the searching state in one of two ways:
// it found work and, if it was the last searcher, calls notify_one() (the
// baton passes to a sleeper); or it found nothing and parks, and its
// re-check (step 3) follows its decrement of searching_ (both seq_cst, and
// the heavy fence between them), so it sees any work published before the
// notifier read searching_ > 0.
//
// The set is a template on the atomics policy (detail/atomics_policy.hpp)
// and on park_orders, the orders and fences the argument above rests on, so
// that the Relacy model in tests/model runs this code, and a weakened variant
// of it (acquire/release, no fences) that must fail. park_fence() and
// publish_fence() are steps 2 and b as the policy defines them.
//
// Why search a bounded time and then park: a parked worker costs nothing,
// and a spinning one takes a core from a worker with real work, which
// matters most when workers outnumber cores. The idle-CPU test checks it.
//
// Why a counted searcher lingers (pool.cpp, linger) before it parks: a
// park costs the other workers a heavy fence (a membarrier interrupt) and
// the next notifier a futex wake. A worker that parked right after each
// short search would be woken by the next public spawn and park again,
// many thousand times a second, next to a busy peer that spawns and joins
// tiny tasks. Lingering for a fixed time after its search bounds the parks
// of each worker to one per linger period. Only counted searchers (at most
// half the pool) linger, so the CPU spent this way is bounded too, and a
// pool with no work at all parks every worker and stays asleep.
#pragma once

#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/atomics_policy.hpp"
#include "tinyrt/detail/cache.hpp"
#include "tinyrt/detail/chaos.hpp"

namespace tinyrt::detail {

// The store-buffering pair of the correctness argument: the announcement's
// RMW on sleepers_ (step 1), the notifier's loads of sleepers_ and searching_
// (step c), and whether steps 2 and b fence.
struct park_orders {
    static constexpr std::memory_order announce = seq_cst;
    static constexpr std::memory_order check = seq_cst;
    static constexpr bool fences = true;
};

template <class Atomics = std_atomics, class Orders = park_orders>
class basic_idle_set {
    template <class U>
    using atomic = typename Atomics::template atomic<U>;

public:
    explicit basic_idle_set(unsigned workers)
        : bells_(workers),
          idle_workers_(workers),  // workers start idle (their threads may not run yet)
          searcher_cap_(workers / 2 > 0 ? workers / 2 : 1) {
        stack_.reserve(workers);
    }

    // --- searching ---------------------------------------------------------

    // Tries to become a counted searcher; false when enough already search.
    bool begin_search() noexcept {
        if (searching_.load(seq_cst) >= searcher_cap_) return false;
        searching_.fetch_add(1, seq_cst);
        return true;
    }

    // Leaves the searching state. If work was found and this was the last
    // searcher, another sleeper is woken to keep looking (the baton above).
    void end_search(bool found_work) noexcept {
        unsigned before = searching_.fetch_sub(1, seq_cst);
        if (found_work && before == 1) notify_one();
    }

    // --- parking -----------------------------------------------------------

    // The parking steps and notify_all are out of line ([[gnu::noinline]]):
    // a worker that parks pays a heavy fence and a futex sleep, next to
    // which a call is nothing, and inlined they would be copied into every
    // caller.

    // Step 1. Returns how many workers were parked before this one.
    [[gnu::noinline]] unsigned announce(unsigned w) {
        chaos::point();
        std::lock_guard lock(mutex_);
        stack_.push_back(w);
        return sleepers_.fetch_add(1, Orders::announce);
    }

    // Step 2, between announce() and the re-check: pairs with publish_fence().
    static void park_fence() noexcept {
        if constexpr (Orders::fences) Atomics::asymmetric_heavy_fence();
    }

    // Step b, between publishing work and notify_one(): pairs with park_fence().
    static void publish_fence() noexcept {
        if constexpr (Orders::fences) Atomics::asymmetric_light_fence();
    }

    // Step 4. True if w was rung meanwhile (and so counts as a searcher).
    [[gnu::noinline]] bool cancel(unsigned w) noexcept {
        {
            std::lock_guard lock(mutex_);
            for (std::size_t i = 0; i < stack_.size(); ++i) {
                if (stack_[i] == w) {
                    stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(i));
                    sleepers_.fetch_sub(1, seq_cst);
                    return false;
                }
            }
        }
        wait_for_bell(w);  // the notifier is between steps d and e
        return true;
    }

    // Step 5: sleeps until rung.
    void sleep(unsigned w) noexcept { wait_for_bell(w); }

    // --- notifying ---------------------------------------------------------

    // Steps c-e. Call after publishing work and a store-load fence.
    void notify_one() noexcept {
        if (sleepers_.load(Orders::check) == 0) return;
        if (searching_.load(Orders::check) > 0) return;
        wake_one();
    }

private:
    // Steps d-e, out of line: the two loads above are what a notify costs
    // while nobody sleeps; waking one costs a lock and a system call anyway.
    [[gnu::noinline]] void wake_one() noexcept {
        unsigned v;
        {
            std::lock_guard lock(mutex_);
            if (stack_.empty()) return;
            v = stack_.back();
            stack_.pop_back();
            sleepers_.fetch_sub(1, seq_cst);
            searching_.fetch_add(1, seq_cst);
        }
        ring(v);
    }

public:
    // Wakes every sleeper (shutdown). Each counts as a searcher, as above.
    [[gnu::noinline]] void notify_all() noexcept {
        std::vector<unsigned> woken;
        {
            std::lock_guard lock(mutex_);
            woken.swap(stack_);
            sleepers_.fetch_sub(static_cast<unsigned>(woken.size()), seq_cst);
            searching_.fetch_add(static_cast<unsigned>(woken.size()), seq_cst);
        }
        for (unsigned v : woken) ring(v);
    }

    // Calls f() under the sleeper lock; if it returns true, rings every
    // parked worker (as notify_all does) before unlocking. For the last
    // guest leaving a pool that is shutting down (pool.cpp, guest_scope):
    // a worker that then concludes the pool is quiescent takes this lock
    // before it exits, so the pool outlives this call's accesses to it.
    template <typename F>
    void notify_all_if(F&& f) noexcept {
        std::lock_guard lock(mutex_);
        if (!f()) return;
        sleepers_.fetch_sub(static_cast<unsigned>(stack_.size()), seq_cst);
        searching_.fetch_add(static_cast<unsigned>(stack_.size()), seq_cst);
        for (unsigned v : stack_) ring(v);
        stack_.clear();
    }

    // Whether some worker is idle (between failing to find work and getting
    // a task in the worker loop: searching, parking or asleep), i.e. could
    // take work that a spawn makes public (local_queue.hpp,
    // step 1). Updated on every busy/idle transition, not per task.
    // A heuristic: a stale answer only makes one spawn private (its owner
    // runs it; a thief's steal request publishes it later) or public (then
    // notified properly).
    bool others_idle() const noexcept {
        return idle_workers_.load(relaxed) != 0;  // hint only, see above
    }
    void become_idle() noexcept {
        idle_workers_.fetch_add(1, relaxed);  // a hint counter; no data hangs on it
    }
    void become_busy() noexcept {
        idle_workers_.fetch_sub(1, relaxed);  // a hint counter; no data hangs on it
    }

private:
    void ring(unsigned v) noexcept {
        chaos::point();
        bells_[v].value.store(1, release);  // pairs with the acquire load in wait_for_bell()
        Atomics::futex_wake(bells_[v].value, 1);
    }

    void wait_for_bell(unsigned w) noexcept {
        chaos::point();
        atomic<std::uint32_t>& bell = bells_[w].value;
        while (bell.load(acquire) == 0) {  // pairs with the release store in ring()
            Atomics::futex_wait(bell, 0);
        }
        // Only w reads its bell, and nobody rings w before it announces again
        // (under mutex_), so the reset needs no ordering.
        bell.store(0, relaxed);  // see the comment above
    }

    typename Atomics::mutex mutex_;
    std::vector<unsigned> stack_;  // parked workers, guarded by mutex_
    // One per worker, never resized.
    std::vector<padded<atomic<std::uint32_t>>> bells_;
    alignas(cache_line) atomic<unsigned> sleepers_{0};
    alignas(cache_line) atomic<unsigned> searching_{0};
    alignas(cache_line) atomic<unsigned> idle_workers_;
    unsigned searcher_cap_;
};

// The runtime's idle set.
using idle_set = basic_idle_set<>;

}  // namespace tinyrt::detail
