// How the timeline records a job that runs only if it wins a claim: a
// pool.spawn task (join() may run it inline, a worker may dequeue it after)
// and a task_group child spawned from outside (its waiter may run it before
// a worker takes its ticket). Such a job is recorded where its closure runs,
// by the claim's winner, never where it is dequeued: a queue entry that lost
// the claim ran nothing and records nothing. Fork-join jobs run exactly
// where they are dequeued and are recorded by sched_core::run_task.
#pragma once

#include "tinyrt/sched/detail/task.hpp"
#include "tinyrt/trace/current.hpp"

namespace tinyrt::detail {

// run_claimed_here on a traced thread (sched/pool.cpp, through
// sched_core::run_claimed): recorded on this thread's track in the recorder
// of the calling worker's pool (the task's id and flow are b's address, as
// at its spawn), or not at all if that pool has none (the thread may be traced for something else,
// such as a loop running on the worker with a recorder of its own).
[[gnu::noinline]] void run_claimed_traced(task_block* b,
                                          void (*execute)(task_block*) noexcept) noexcept;

// A claimed job's closure, run by a worker of the job's pool: recorded when
// the pool is traced, one predictable branch while this thread is not.
inline void run_claimed_here(task_block* b, void (*execute)(task_block*) noexcept) noexcept {
    if (trace::current_buffer() != nullptr) [[unlikely]]
        return run_claimed_traced(b, execute);
    execute(b);
}

}  // namespace tinyrt::detail
