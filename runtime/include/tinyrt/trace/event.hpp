// tinyrt::trace: the fixed-size record every event site writes, and the
// kinds of events, tasks and tracks it can name.
#pragma once

#include <cstdint>

namespace tinyrt::trace {

// What happened. The comment says what the payload fields of the record
// mean for that kind (unused fields are 0); sites.hpp has one function per
// kind and says where the scheduler or the loop calls it.
enum class event_kind : std::uint8_t {
    // pool workers
    task_begin,   // task, name + line, sub = task_kind, flow: ends the spawn's flow
    task_end,     // task, flow: starts a flow back (to_thread's result), 0 if none
    spawn,        // task, name + line, sub = task_kind, flow: starts the spawn-to-run flow
    steal,        // task, peer = victim worker, flow: drawn from victim to thief
    park,         // the worker goes to sleep
    unpark,       // the worker woke up
    inject_take,  // task taken from the injection queue
    help_begin,   // task = the joined task; the worker runs other tasks while waiting
    help_end,     // task = the joined task
    // event loop
    resume,          // task = coroutine id, name + line
    suspend,         // task = coroutine id
    timer_set,       // task = timer id, peer = delay in microseconds (saturated)
    timer_fire,      // task = timer id
    timer_cancel,    // task = timer id
    fd_wait,         // peer = fd
    fd_ready,        // peer = fd
    post,            // flow: starts a flow from the posting thread to the loop
    post_run,        // flow: ends the post's flow; the loop runs the posted item
    to_thread_out,   // task = job id, flow: starts the flow to the job's task_begin
    to_thread_back,  // task = job id, flow: ends the flow from the job's task_end
    // anywhere
    mark,  // name: a user's instant marker
    // event loop (continued); names only, drawn as nothing
    coroutine_created,  // task = the coroutine's promise, name = its function's signature
    coroutine_root,     // task = coroutine id (its root node), flow = its promise: named as created
};

inline constexpr int event_kind_count = static_cast<int>(event_kind::coroutine_root) + 1;

// What a task is, for the views' colours (record.sub of task_begin and spawn).
enum class task_kind : std::uint8_t {
    other,
    fork_join,  // a task_group child (join / fork-join)
    spawn,      // pool.spawn
    coroutine,  // a coroutine resumption on a loop
    to_thread,  // a to_thread job on a pool worker
};

// What a track stands for (one lane in the views, one tid in the JSON).
enum class track_kind : std::uint8_t {
    worker,  // a pool worker
    loop,    // an event loop's thread while it runs the loop
    thread,  // any other thread that recorded (an outside thread that spawned)
};

// One event: 48 bytes, written once by its thread and never changed.
struct record {
    std::uint64_t ts = 0;        // trace clock ticks (clock.hpp)
    const char* name = nullptr;  // static storage or recorder::intern(); may be null
    std::uint64_t task = 0;      // task, coroutine, timer or job id
    std::uint64_t flow = 0;      // flow id, 0 for none
    std::uint32_t peer = 0;      // victim worker, fd, timer delay
    std::uint32_t line = 0;      // with name: a source line (name is then a file)
    event_kind kind = event_kind::mark;
    std::uint8_t sub = 0;  // task_kind for task_begin and spawn
};

const char* to_string(event_kind k) noexcept;
const char* to_string(task_kind k) noexcept;
const char* to_string(track_kind k) noexcept;

}  // namespace tinyrt::trace
