// tinyrt::trace event sites: the calls the scheduler and the event loop make.
//
// Each function costs one predictable branch when the calling thread is not
// being traced: it loads this thread's buffer pointer (current.hpp,
// current_buffer()) and returns if it is null. A thread is traced while a
// recorder's thread_attachment is alive on it (recorder.hpp); the only site
// that also serves threads nobody attached is spawn_from(), which takes the
// recorder the pool was given.
//
// Where each call goes (P: sched, runtime/src/sched/pool.cpp unless named;
// L: coro, runtime/src/coro/loop_core.cpp unless named), and its payload.
// `rec` is the recorder pointer the pool or loop was given (null: off).
//
//   P  sched_core::worker_main, first line:
//        auto a = rec ? rec->attach_this_thread(track_kind::worker, w.index,
//                           "worker " + std::to_string(w.index), pool_serial)
//                     : thread_attachment{};      // lives until the worker returns
//   P  around running a task: a fork-join job in run_task (pool.hpp, traced
//      in run_task_traced); a pool.spawn task or a task_group child from
//      outside where its closure runs, by the winner of its claim
//      (sched/detail/claimed_run.hpp, sched_core::run_claimed; a joiner running it
//      inline records it on its own lane):
//        task_begin(task_id, nullptr, 0, kind, flow) ... task_end(task_id)
//        The task's id and flow are its block's address; the name (the
//        std::source_location captured at spawn, file_name() and line()) and
//        the kind (spawn, fork_join or to_thread) travel with the spawn
//        event, and the timeline gives them to the begin its flow reaches.
//   P  the spawn paths (sched_core::spawn, task_group::spawn and its
//      spawn_from_outside, through trace_spawn / trace_child_spawn):
//        spawn_from(rec, task_id, name, line, kind, flow)  — on a worker its
//        track, on any other thread that thread's own "thread N" track
//   P  steal_round, on success:       steal(task_id, victim_index, flow)
//   P  park, around the sleep:        park() ... unpark()
//   P  take_injected / take_from_outside, on success:  inject_take(task_id)
//   P  join_wait (sched/join.cpp), around helping:
//        help_begin(joined_id) ... help_end(joined_id)
//   L  run_until_done, first line:
//        auto a = rec ? rec->attach_this_thread(track_kind::loop, id,
//                           "loop " + std::to_string(id)) : thread_attachment{};
//   L  run_ready_batch, around each resume:
//        resume(coro_id, nullptr) ... suspend(coro_id); coro_id is the root's
//        task node. Its name is a spawn of kind coroutine recorded where the
//        root is made (create_task.hpp, run_until_done for run's main,
//        through hooks.hpp); the timeline names the resumptions after it.
//        A root no spawn names (a child of gather, when_any, wait_for) is
//        named by its coroutine function: each promise records
//        coroutine_created(promise_id, function) as it is constructed
//        (coro/task.hpp), and spawn_task records coroutine_root(coro_id,
//        promise_id) when the task becomes a root (both through hooks.hpp).
//   L  add_timer: timer_set(timer_id, delay_us); fire_timers: timer_fire(timer_id);
//      cancel_timer: timer_cancel(timer_id)
//   L  the wait_ready registration (coro/io_wait.cpp): fd_wait(fd);
//      wait_for_events, per ready fd: fd_ready(fd)
//   L  post: post_from(rec, flow) on the posting thread;
//      drain_posted, before running each item: post_run(flow); flow: the
//      item's address plus one (odd: never a task block's)
//   L  to_thread's await_suspend (coro/to_thread.hpp), before the spawn:
//        to_thread_out(job_id, 0); when the result resumes the awaiter:
//        to_thread_back(job_id, 0). The arrows out and back are the job's
//        spawn flow (loop to worker) and the post of its result (worker to
//        loop).
//
// Flow ids: one namespace per recorder. A start (spawn, to_thread_out,
// post_from, task_end with a flow) pairs with the next end of the same id
// (task_begin, to_thread_back, post_run) in time order, so an id may be
// reused once its end is recorded (a recycled task block's address is
// fine). Record each flow once: the runtime's to_thread job is linked by its
// spawn, so its to_thread_out passes flow 0.
//
// Names must outlive the recorder: string literals, std::source_location's
// strings, or recorder::intern().
#pragma once

#include <cstdint>

#include "tinyrt/trace/buffer.hpp"
#include "tinyrt/trace/event.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tinyrt::trace {

// ---- pool workers ------------------------------------------------------

inline void task_begin(std::uint64_t task, const char* name, std::uint32_t line, task_kind kind,
                       std::uint64_t flow = 0) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::task_begin, task, name, flow, 0, line,
                  static_cast<std::uint8_t>(kind));
}

inline void task_end(std::uint64_t task, std::uint64_t back_flow = 0) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::task_end, task, nullptr, back_flow);
}

// A spawn on any thread. `rec` is the recorder the pool was given (null:
// tracing off). Allocates once per outside thread (its track), then never.
inline void spawn_from(recorder* rec, std::uint64_t task, const char* name, std::uint32_t line,
                       task_kind kind, std::uint64_t flow) {
    if (rec != nullptr) [[unlikely]] {
        buffer* b = current_buffer();
        if (b == nullptr || b->owner() != rec) b = rec->buffer_for_this_thread();
        b->record(event_kind::spawn, task, name, flow, 0, line, static_cast<std::uint8_t>(kind));
    }
}

// A spawn on a thread whose sites are attached (a worker, a loop).
inline void spawn(std::uint64_t task, const char* name, std::uint32_t line, task_kind kind,
                  std::uint64_t flow) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::spawn, task, name, flow, 0, line, static_cast<std::uint8_t>(kind));
}

inline void steal(std::uint64_t task, std::uint32_t victim, std::uint64_t flow = 0) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::steal, task, nullptr, flow, victim);
}

inline void park() noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::park);
}

inline void unpark() noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::unpark);
}

inline void inject_take(std::uint64_t task) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::inject_take, task);
}

inline void help_begin(std::uint64_t joined) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::help_begin, joined);
}

inline void help_end(std::uint64_t joined) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::help_end, joined);
}

// ---- event loop ---------------------------------------------------------

inline void resume(std::uint64_t coro, const char* name, std::uint32_t line = 0) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::resume, coro, name, 0, 0, line,
                  static_cast<std::uint8_t>(task_kind::coroutine));
}

// A coroutine was created (its promise, on the creating thread), in the
// function whose signature `function` is.
inline void coroutine_created(std::uint64_t promise, const char* function) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::coroutine_created, promise, function);
}

// That coroutine became root `coro` of the loop: its resumptions are named
// by its function, unless a spawn of kind coroutine recorded after this
// (create_task's line) names them.
inline void coroutine_root(std::uint64_t coro, std::uint64_t promise) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::coroutine_root, coro, nullptr, promise);
}

inline void suspend(std::uint64_t coro) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::suspend, coro);
}

inline void timer_set(std::uint64_t timer, std::uint32_t delay_us) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::timer_set, timer, nullptr, 0, delay_us);
}

inline void timer_fire(std::uint64_t timer) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::timer_fire, timer);
}

inline void timer_cancel(std::uint64_t timer) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::timer_cancel, timer);
}

inline void fd_wait(int fd) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::fd_wait, 0, nullptr, 0, static_cast<std::uint32_t>(fd));
}

inline void fd_ready(int fd) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::fd_ready, 0, nullptr, 0, static_cast<std::uint32_t>(fd));
}

// A post from any thread (`rec`: the loop's recorder, null when off).
inline void post_from(recorder* rec, std::uint64_t flow) {
    if (rec != nullptr) [[unlikely]] {
        buffer* b = current_buffer();
        if (b == nullptr || b->owner() != rec) b = rec->buffer_for_this_thread();
        b->record(event_kind::post, 0, nullptr, flow);
    }
}

inline void post_run(std::uint64_t flow) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::post_run, 0, nullptr, flow);
}

inline void to_thread_out(std::uint64_t job, std::uint64_t flow) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::to_thread_out, job, nullptr, flow);
}

inline void to_thread_back(std::uint64_t job, std::uint64_t flow) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::to_thread_back, job, nullptr, flow);
}

// ---- anywhere -----------------------------------------------------------

// A user's marker on this thread's track (shown as an instant).
inline void mark(const char* name) noexcept {
    if (buffer* b = current_buffer()) [[unlikely]]
        b->record(event_kind::mark, 0, name);
}

}  // namespace tinyrt::trace
