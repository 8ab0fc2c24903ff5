// The pool's side of event loops on its workers (pool.hpp, "Loops on
// workers"): to_thread's injected spawn and the count of workers blocked in
// a loop. In its own object: only programs that use to_thread link it.
#include <mutex>

#include "tinyrt/sched/pool.hpp"

namespace tinyrt::detail {

void sched_core::submit_injected(detail::task_block* b) {
    detail::worker* w = detail::tls_worker;
    if (w != nullptr && w->owner == this) {
        w->counters.tasks_spawned.add();
        publish_local(*w);  // it is about to block (local_queue.hpp, step 4)
        enqueue_injected(b);
    } else {
        inject(b);
    }
}

bool sched_core::begin_loop_wait(detail::worker& w) {
    std::lock_guard lock(loop_mutex_);
    if (w.loop_jobs++ == 0) ++loop_blocked_;
    if (loop_blocked_ < workers_.size()) return true;
    if (--w.loop_jobs == 0) --loop_blocked_;
    return false;
}

void sched_core::end_loop_wait(detail::worker& w) noexcept {
    std::lock_guard lock(loop_mutex_);
    if (--w.loop_jobs == 0) --loop_blocked_;
}

}  // namespace tinyrt::detail
