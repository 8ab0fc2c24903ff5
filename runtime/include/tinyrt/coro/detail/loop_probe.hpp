// What an event loop is doing, mirrored into relaxed atomics so that another
// thread may read it (detail/introspect.hpp): a watchdog or a stress tool.
//
// One writer, the loop thread; no decision of the loop depends on any of
// it. The state changes at its transitions (a relaxed store each); the
// counts are copied every 64th step, after the timers fired and before the
// loop runs its batch, and always before it sleeps, so a parked loop's
// counts are exact and a running loop's are at most 64 steps old.
//
// States and transitions:
//   stopped  not inside run(): before the first run, between runs, after
//   polling  inside run(), between batches: running posted work, firing
//            timers, polling epoll without waiting
//   running  resuming the coroutines of one ready batch
//   parked   asleep in epoll_wait until a timer, an fd event or a post
//
//   stopped -> polling -> running -> polling -> parked -> polling ... -> stopped
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyrt/detail/atomic.hpp"

namespace tinyrt::detail {

enum class loop_activity : std::uint32_t { stopped, polling, running, parked };

struct loop_probe {
    // The ready queue is counted up to this many (a report shows "at least").
    static constexpr std::size_t ready_cap = 4096;

    // Loop thread only.
    void set(loop_activity a) noexcept {
        // A report for other threads; nothing is published through it.
        state.store(a, relaxed);
    }
    void mirror(std::size_t ready_now, std::size_t timers_now, std::size_t fds_now,
                std::size_t external_now, std::uint64_t tasks_run_now) noexcept {
        // As in set(): copies for readers that only want a recent value.
        ready.store(ready_now, relaxed);
        timers.store(timers_now, relaxed);        // as above
        fd_waits.store(fds_now, relaxed);         // as above
        external.store(external_now, relaxed);    // as above
        tasks_run.store(tasks_run_now, relaxed);  // as above
    }

    detail::atomic<loop_activity> state{loop_activity::stopped};
    detail::atomic<std::size_t> ready{0};     // tasks in the ready queue
    detail::atomic<std::size_t> timers{0};    // armed timers (cancelled ones not counted)
    detail::atomic<std::size_t> fd_waits{0};  // tasks waiting on an fd
    detail::atomic<std::size_t> external{0};  // to_thread jobs out
    detail::atomic<std::uint64_t> tasks_run{0};
};

const char* activity_name(loop_activity a) noexcept;

}  // namespace tinyrt::detail
