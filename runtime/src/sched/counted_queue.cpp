// The pool's counted queues over moodycamel::ConcurrentQueue (see
// tinyrt/sched/detail/counted_queue.hpp).
#include "tinyrt/sched/detail/counted_queue.hpp"

#include <concurrentqueue/concurrentqueue.h>

#include <cstdio>
#include <cstdlib>
#include <new>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

using queue_type = moodycamel::ConcurrentQueue<task_block*>;

}  // namespace tinyrt::detail

// One producer kind only. Every push is a tokenless enqueue (an implicit
// producer per pushing thread, which the queue finds by thread id), so the
// queue's explicit producers (made only for a moodycamel::ProducerToken)
// never exist here. The queue still names them: its dequeue chooses between
// the two kinds by a run-time flag, and its producer creation by a run-time
// argument. These two specializations tell the compiler what is true of
// this queue, so that no program carries the explicit producer's code
// (README, "Footprint"): creating one fails (a null producer, as when its
// allocation fails) and dequeuing from one is unreachable. They name the
// queue's private members, as an explicit specialization may (C++20
// [temp.spec.general]/6: access is not checked there); a queue version
// that names them otherwise fails to compile here.
template <>
template <>
tinyrt::detail::queue_type::ExplicitProducer*
tinyrt::detail::queue_type::create<tinyrt::detail::queue_type::ExplicitProducer,
                                   tinyrt::detail::queue_type*>(tinyrt::detail::queue_type*&&) {
    return nullptr;
}
template <>
template <>
bool tinyrt::detail::queue_type::ExplicitProducer::dequeue<tinyrt::detail::task_block*>(
    tinyrt::detail::task_block*&) {
    __builtin_unreachable();
}

namespace tinyrt::detail {

struct counted_queue::impl {
    queue_type queue;
};
// The queue is made in malloc's memory and a failure is fatal, as a failed
// push is: this file is compiled without exceptions and unwind tables
// (runtime/CMakeLists.txt), so nothing may throw through it.
counted_queue::counted_queue() noexcept {
    static_assert(alignof(impl) <= alignof(std::max_align_t));
    void* p = std::malloc(sizeof(impl));
    if (p == nullptr) fatal("out of memory for the pool's queue");
    impl_ = new (p) impl;
}

counted_queue::~counted_queue() {
    impl_->~impl();
    std::free(impl_);
}

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
