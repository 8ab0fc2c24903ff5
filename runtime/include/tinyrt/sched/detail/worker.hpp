// One pool worker's private state, and the thread-local pointers that tell
// spawn() and the waits whether the calling thread is a worker (and of which
// pool) or is running a task of another pool as a guest. Internal: the public
// types are pool, join_handle and task_group.
#pragma once

#include <cstdint>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/os_thread.hpp"
#include "tinyrt/sched/detail/local_queue.hpp"
#include "tinyrt/sched/detail/task.hpp"
#include "tinyrt/sched/detail/worker_state.hpp"
#include "tinyrt/sched/stats.hpp"

namespace tinyrt::detail {

class sched_core;

struct worker {
    worker(sched_core* p, unsigned i, block_depot* depot)
        : owner(p), index(i), cache(depot), rng(i * 0x9e3779b97f4a7c15ULL + 1) {}

    sched_core* owner;
    unsigned index;
    local_queue queue;  // private buffer + public Chase-Lev deque
    block_cache cache;
    worker_counters counters;
    worker_state state;       // what it does now, for reports (worker_state.hpp)
    std::uint64_t rng;        // xorshift state for victim selection
    unsigned help_depth = 0;  // nested tasks taken from elsewhere while waiting
    unsigned tick = 0;        // local pops since the last look at the injection queue
    // to_thread jobs of this pool that an event loop running on this worker
    // waits for (guarded by the pool's loop_mutex_; pool.hpp, "Loops on workers").
    unsigned loop_jobs = 0;
    os_thread thread;  // started and joined by the pool (pool.cpp)

    std::uint64_t next_random() noexcept {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
    }
};

// The worker running on this thread, or null on any other thread.
inline constinit thread_local worker* tls_worker = nullptr;

// The pool whose task this thread runs as a guest (the innermost one), or
// null. A guest is a worker of another pool running a task of this one:
// join() of an unstarted task, or a task_group waiter running its own
// children (DESIGN.md, "What a waiting worker may run", rules 4 and 5).
// tls_worker stays the thread's own worker, so to the guest pool's spawn
// paths the guest is an outside thread: nested spawns and task_groups go to
// that pool from outside, never onto the guest's own deque, where its own
// pool's workers would run them. Only shutdown looks at this pointer: a
// guest's spawns into the pool are accepted like a worker's (pool.hpp).
inline constinit thread_local sched_core* tls_guest = nullptr;

// While alive, the calling thread runs a task of `p` as a guest: p counts it
// (p cannot finish shutting down meanwhile) and tls_guest names p.
// Construct it right after winning the claim of one of p's tasks with a
// guest mark, then mark the claim registered: until then the task's queue
// entry is pending, so p is alive, and a worker of p that dequeues the entry
// and loses the claim waits for that mark (DESIGN.md, "Guests").
class guest_scope {
public:
    explicit guest_scope(sched_core& p) noexcept;
    ~guest_scope();
    guest_scope(const guest_scope&) = delete;
    guest_scope& operator=(const guest_scope&) = delete;

private:
    sched_core& pool_;
    sched_core* saved_;
};

// What a blocking wait (join, task_group::wait) waits for.
struct wait_target {
    // A futex word whose bit 0 means "a waiter may sleep on me". Whoever makes
    // done() true changes the word, and wakes it if bit 0 was set.
    detail::atomic<std::uint32_t>* word;
    bool (*done)(const void* context) noexcept;
    const void* context;
    // Entries of the waiting worker's own deque at an index >= own_mark may
    // be run while waiting (DESIGN.md, "What a waiting worker may run", rule 1).
    std::int64_t own_mark;
    // Optional: runs (or, off every pool, only retires) work that belongs to
    // the awaited object itself: a task_group's children spawned from
    // outside its pool (DESIGN.md, rule 5). True if it did anything. Called
    // every round, and after the waiter bit is set, before sleeping: whoever
    // gives it new work changes `word` afterwards, so that work is never
    // slept on.
    bool (*help)(const void* context) noexcept = nullptr;
};

// Returns once target.done() is true. On a pool worker it runs other tasks
// meanwhile (DESIGN.md, "What a waiting worker may run"): the target's own
// work (help), its own deque's entries at or above own_mark, then, to a
// bounded nesting depth, task_group children stolen from other workers or
// spawned into its pool from outside (never pool.spawn or injected tasks).
// Elsewhere it only retires the target's own work (help); there, or when
// there is nothing it may run, it spins briefly and then sleeps on the futex
// word.
void wait_until(const wait_target& target) noexcept;

}  // namespace tinyrt::detail
