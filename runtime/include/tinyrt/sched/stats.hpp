// Per-worker counters for pool.stats(): what each worker did.
//
// Each counter has one writer (its worker), and stats() may read it from any
// thread while the pool runs, so the counters are atomics updated with a
// relaxed load and store (a plain MOV/ADD on x86, no locked instruction).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/cache.hpp"

namespace tinyrt {

// One worker's counts (or the sum over workers).
struct worker_stats {
    std::uint64_t tasks_run = 0;       // tasks this worker executed
    std::uint64_t tasks_spawned = 0;   // tasks spawned from this worker
    std::uint64_t tasks_stolen = 0;    // tasks it took from another worker's deque
    std::uint64_t steal_attempts = 0;  // deques it tried to steal from
    std::uint64_t parks = 0;           // times it went to sleep
    std::uint64_t wakeups = 0;         // times it was woken from sleep

    worker_stats& operator+=(const worker_stats& o) noexcept {
        tasks_run += o.tasks_run;
        tasks_spawned += o.tasks_spawned;
        tasks_stolen += o.tasks_stolen;
        steal_attempts += o.steal_attempts;
        parks += o.parks;
        wakeups += o.wakeups;
        return *this;
    }
};

// A snapshot: one entry per worker, plus the spawns that came from threads
// that are not workers of this pool (they went through the injection queue,
// or, for task_group children, the ticket queue).
struct pool_stats {
    std::vector<worker_stats> workers;
    std::uint64_t external_spawns = 0;

    worker_stats total() const noexcept {
        worker_stats sum;
        for (const worker_stats& w : workers) sum += w;
        sum.tasks_spawned += external_spawns;
        return sum;
    }
};

namespace detail {

// A single-writer counter.
class counter {
public:
    void add(std::uint64_t n = 1) noexcept {
        std::uint64_t v = value_.load(relaxed);  // single writer: it reads its own last store
        value_.store(v + n, relaxed);            // readers only want a recent value
    }
    std::uint64_t get() const noexcept {
        // a snapshot; exact once the pool is quiescent (thread join orders it)
        return value_.load(relaxed);
    }

private:
    detail::atomic<std::uint64_t> value_{0};
};

struct alignas(cache_line) worker_counters {
    counter tasks_run, tasks_spawned, tasks_stolen, steal_attempts, parks, wakeups;

    worker_stats snapshot() const noexcept {
        return {tasks_run.get(),      tasks_spawned.get(), tasks_stolen.get(),
                steal_attempts.get(), parks.get(),         wakeups.get()};
    }
};

}  // namespace detail
}  // namespace tinyrt
