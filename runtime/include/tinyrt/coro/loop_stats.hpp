// tinyrt::loop_stats: what an event loop did, for loop.stats().
#pragma once

#include <cstdint>

namespace tinyrt {

// What the loop did, for loop.stats() (counted on the loop thread).
struct loop_stats {
    std::uint64_t tasks_spawned = 0;  // roots given to the loop (run, create_task, gather...)
    std::uint64_t tasks_run = 0;      // resumptions taken from the ready queue
    std::uint64_t timers_set = 0;
    std::uint64_t timers_fired = 0;
    std::uint64_t timers_cancelled = 0;
    std::uint64_t wakeups = 0;   // returns from a blocking epoll_wait
    std::uint64_t posts = 0;     // items run from the cross-thread queue
    std::uint64_t io_waits = 0;  // wait_ready registrations
};

}  // namespace tinyrt
