// The pool's counted queues over moodycamel::ConcurrentQueue (see
// tinyrt/sched/detail/counted_queue.hpp).
#include "tinyrt/sched/detail/counted_queue.hpp"

#include <concurrentqueue/concurrentqueue.h>

#include <cstdio>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

struct counted_queue::impl {
    moodycamel::ConcurrentQueue<task_block*> queue;
};

counted_queue::counted_queue() : impl_(std::make_unique<impl>()) {}
counted_queue::~counted_queue() = default;

void counted_queue::push(task_block* b, const char* what) noexcept {
    if (!impl_->queue.enqueue(b)) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "%s: out of memory in the pool's queue", what);
        fatal(msg);
    }
    // Notify steps a-b (parking.hpp): publish, and a full fence before the
    // caller's sleeper check.
    count_.fetch_add(1, seq_cst);
}

task_block* counted_queue::try_pop() noexcept {
    // relaxed: a hint only; the dequeue itself synchronizes the item.
    if (count_.load(relaxed) <= 0) return nullptr;
    task_block* b = nullptr;
    if (!impl_->queue.try_dequeue(b)) return nullptr;
    // relaxed: the count only gates parking and waiters' sleep, which
    // re-read it seq_cst.
    count_.fetch_sub(1, relaxed);
    return b;
}

}  // namespace tinyrt::detail
