#include "tinyrt/trace/event.hpp"

namespace tinyrt::trace {

const char* to_string(event_kind k) noexcept {
    switch (k) {
        case event_kind::task_begin:
            return "task_begin";
        case event_kind::task_end:
            return "task_end";
        case event_kind::spawn:
            return "spawn";
        case event_kind::steal:
            return "steal";
        case event_kind::park:
            return "park";
        case event_kind::unpark:
            return "unpark";
        case event_kind::inject_take:
            return "inject_take";
        case event_kind::help_begin:
            return "help_begin";
        case event_kind::help_end:
            return "help_end";
        case event_kind::resume:
            return "resume";
        case event_kind::suspend:
            return "suspend";
        case event_kind::timer_set:
            return "timer_set";
        case event_kind::timer_fire:
            return "timer_fire";
        case event_kind::timer_cancel:
            return "timer_cancel";
        case event_kind::fd_wait:
            return "fd_wait";
        case event_kind::fd_ready:
            return "fd_ready";
        case event_kind::post:
            return "post";
        case event_kind::post_run:
            return "post_run";
        case event_kind::to_thread_out:
            return "to_thread_out";
        case event_kind::to_thread_back:
            return "to_thread_back";
        case event_kind::mark:
            return "mark";
        case event_kind::coroutine_created:
            return "coroutine_created";
        case event_kind::coroutine_root:
            return "coroutine_root";
    }
    return "unknown";
}

const char* to_string(task_kind k) noexcept {
    switch (k) {
        case task_kind::other:
            return "task";
        case task_kind::fork_join:
            return "fork-join";
        case task_kind::spawn:
            return "pool.spawn";
        case task_kind::coroutine:
            return "coroutine";
        case task_kind::to_thread:
            return "to_thread";
    }
    return "task";
}

const char* to_string(track_kind k) noexcept {
    switch (k) {
        case track_kind::worker:
            return "worker";
        case track_kind::loop:
            return "loop";
        case track_kind::thread:
            return "thread";
    }
    return "thread";
}

}  // namespace tinyrt::trace
