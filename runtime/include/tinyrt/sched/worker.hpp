// One pool worker's private state, and the thread-local pointer that tells
// spawn() and the waits whether the calling thread is a worker (and of which
// pool). Internal: the public types are pool, join_handle and task_group.
#pragma once

#include <cstdint>
#include <thread>

#include "tinyrt/sched/local_queue.hpp"
#include "tinyrt/sched/stats.hpp"
#include "tinyrt/sched/task.hpp"

namespace tinyrt {
class pool;
}

namespace tinyrt::detail {

struct worker {
    worker(pool* p, unsigned i, block_depot* depot)
        : owner(p), index(i), cache(depot), rng(i * 0x9e3779b97f4a7c15ULL + 1) {}

    pool* owner;
    unsigned index;
    local_queue queue;  // private buffer + public Chase-Lev deque
    block_cache cache;
    worker_counters counters;
    std::uint64_t rng;        // xorshift state for victim selection
    unsigned help_depth = 0;  // nested tasks taken from elsewhere while waiting
    unsigned tick = 0;        // local pops since the last look at the injection queue
    std::thread thread;

    std::uint64_t next_random() noexcept {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
    }
};

// The worker running on this thread, or null on any other thread.
inline constinit thread_local worker* tls_worker = nullptr;

// What a blocking wait (join, task_group::wait) waits for.
struct wait_target {
    // A futex word whose bit 0 means "a waiter may sleep on me". Whoever makes
    // done() true changes the word, and wakes it if bit 0 was set.
    std::atomic<std::uint32_t>* word;
    bool (*done)(const void* context) noexcept;
    const void* context;
    // Entries of the waiting worker's own deque at an index >= own_mark may
    // be run while waiting (see task_group.hpp for why a group limits this).
    std::int64_t own_mark;
};

// Returns once target.done() is true. On a pool worker it runs other tasks
// meanwhile: its own deque's entries at or above own_mark, then, to a
// bounded nesting depth, task_group children stolen from other workers
// (never pool.spawn or injected tasks; pool.cpp says why). Elsewhere, or
// when there is nothing it may run, it spins briefly and then sleeps on the
// futex word.
void wait_until(const wait_target& target) noexcept;

}  // namespace tinyrt::detail
