// The root lifecycle (tinyrt/coro/detail/task_node.hpp): finishing,
// releasing, cancelling and resuming a waiter, all on the loop thread.
#include "tinyrt/coro/detail/task_node.hpp"

#include "tinyrt/coro/detail/frame_allocator.hpp"
#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/detail/fault.hpp"

namespace tinyrt::detail {

void task_node::free() noexcept {
#if !TINYRT_EXCEPTIONS
    if (has(task_frame_kept)) {  // the frame was destroyed already: only its memory is left
        void* frame_memory = frame().address();
        const std::size_t bytes = kept_bytes;
        this->~task_node();
        frame_deallocate(frame_memory, bytes);
        return;
    }
#else
    // A failure nobody took (a detached task, a handle dropped unawaited) is
    // reported, not dropped; cancellations are expected and stay quiet.
    if (has(task_failed) && !has(task_cancelled) && !has(task_observed))
        report_error("a task failed and nobody awaited it", error);
#endif
    frame().destroy();  // the node is part of the frame's promise: gone with it
}

std::coroutine_handle<> task_node::finish() noexcept {
    flags |= task_done;
    hook = nullptr;
    loop_core::running()->root_finished(this);
    if (completion_listener* l = listener()) {
        set_listener(nullptr);
        return l->on_done(l, this);
    }
    if (has(task_detached)) free();
    return std::noop_coroutine();
}

void task_node::release() noexcept {
    set_listener(nullptr);
    if (has(task_done)) {
        free();
    } else {
        flags |= task_detached;
    }
}

bool task_node::cancel() noexcept {
    if (has(task_done)) return false;
    if (TINYRT_FAULT("cancel_lost")) return true;  // test-only: reported, never delivered
    flags |= task_cancel_pending;
    if (has(task_ready)) return true;  // `hook` is its ready link: not parked
    if (cancel_hook* h = hook) {
        hook = nullptr;
        if (loop_core::is_sleep_hook(h)) {
            loop_core::running()->cancel_sleep(h);
        } else {
            h->cancel(h);
        }
    }
    return true;
}

std::coroutine_handle<> task_node::resume_waiter(std::coroutine_handle<> where) noexcept {
    loop_core* loop = loop_core::running();
    hook = nullptr;
#if TINYRT_EXCEPTIONS
    // A cancel that arrived while it waited was forwarded to what it waited
    // on; the awaiter reports it (cancel_forwarded_) when it resumes.
    flags &= ~task_cancel_pending;
#else
    if (has(task_cancel_pending)) {
        resume_point = where;
        loop->schedule(this);
        return std::noop_coroutine();
    }
#endif
    loop->set_current_task(this);
    return where;
}

}  // namespace tinyrt::detail
