// tinyrt::trace event sites: the calls the scheduler and the event loop make.
//
// Each function costs one predictable branch when the calling thread is not
// being traced: it loads this thread's buffer pointer (buffer.hpp,
// current_buffer()) and returns if it is null. A thread is traced while a
// recorder's thread_attachment is alive on it (recorder.hpp); the only site
// that also serves threads nobody attached is spawn_from(), which takes the
// recorder the pool was given.
//
// Where each call goes (P = the pool's worker loop and task paths, in
// sched; L = the event loop, in coro) and what it records:
//
//   P  worker thread start    a = rec->attach_this_thread(track_kind::worker, i,
//                                     "worker i", pool_serial)   (keep `a` until the
//                                     worker thread returns)
//   P  before running a task  task_begin(task_id, name, line, kind, flow)
//                                 name/line: the spawn's std::source_location
//                                 (file_name(), line()) or the user's name;
//                                 flow: the id its spawn recorded (0: none)
//   P  after running it       task_end(task_id)  — to_thread jobs pass the flow
//                                 id the loop's to_thread_back will name
//   P  spawn, from anywhere   spawn_from(rec, task_id, name, line, kind, flow)
//                                 on a worker: its track; elsewhere: the calling
//                                 thread's own "thread N" track
//   P  a successful steal     steal(task_id, victim_index, flow)
//   P  before sleeping        park()             after waking: unpark()
//   P  injection-queue pop    inject_take(task_id)
//   P  join/wait helping      help_begin(joined_id) ... help_end(joined_id)
//   L  loop run() start       a = rec->attach_this_thread(track_kind::loop, loop.id(),
//                                     "loop N")   (keep `a` until run returns)
//   L  resuming a coroutine   resume(coro_id, name, line)   after it suspends or
//                                 finishes: suspend(coro_id)
//   L  timers                 timer_set(timer_id, delay_us), timer_fire(timer_id),
//                             timer_cancel(timer_id)
//   L  fds                    fd_wait(fd) on registration, fd_ready(fd) on readiness
//   L  post()                 post_from(rec, flow) on the posting thread;
//                             post_run(flow) on the loop before running the item
//   L  to_thread              to_thread_out(job_id, flow) before the spawn;
//                             to_thread_back(job_id, flow) when the result is resumed
//
// Flow ids: one namespace per recorder. A start (spawn, to_thread_out,
// post_from, task_end with a flow) pairs with the next end of the same id
// (task_begin, to_thread_back, post_run) in time order, so an id may be
// reused once its end is recorded (a recycled task block's address is
// fine). Record each flow once: when to_thread_out starts the job's flow,
// the pool's spawn of that job passes flow 0.
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
