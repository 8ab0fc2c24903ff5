// The pool's timeline work (internal): what a traced pool does at a spawn,
// around a task's run and when a worker starts. A table of functions that the
// recorder carries (trace::recorder::pool_sites()), defined with the
// recorder's code in sched/trace_sites.cpp: a program that never makes a
// recorder does not link it, and the pool reaches it only behind its
// one-branch checks (trace_ != nullptr, or this thread's buffer).
#pragma once

#include <cstdint>

#include "tinyrt/trace/current.hpp"  // the recorder types
#include "tinyrt/trace/event.hpp"

namespace tinyrt::detail {

struct task_header;
struct task_block;

struct pool_trace_sites {
    // The spawn of the task whose block is b, on the calling thread's track
    // in `rec` (sites.hpp, spawn_from): its id and flow are b's address.
    void (*spawn)(trace::recorder& rec, const task_header* b, const char* name, std::uint32_t line,
                  trace::task_kind kind);
    // run(b) between the task's begin and end on this thread's track in
    // `rec`, or unrecorded when no track can be made. run(b) may recycle b.
    void (*run)(trace::recorder& rec, task_header* b, trace::task_kind kind,
                void (*run)(task_header*) noexcept) noexcept;
    // execute(b) the same way, for a job whose claim the caller won.
    void (*run_claimed)(trace::recorder& rec, task_block* b, trace::task_kind kind,
                        void (*execute)(task_block*) noexcept) noexcept;
    // A worker's lane: "<pool_name> worker N", or "worker N" (pool_name null).
    trace::thread_attachment (*attach_worker)(trace::recorder& rec, const char* pool_name,
                                              unsigned index, std::uint32_t group);
};

// The table (sched/trace_sites.cpp); every recorder points at it.
extern const pool_trace_sites pool_trace_table;

}  // namespace tinyrt::detail
