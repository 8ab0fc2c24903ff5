// join_handle's wait, the same for every result type: see
// tinyrt/sched/join_handle.hpp and DESIGN.md, "What a waiting worker may
// run", rule 4.
#include <cstdint>

#include "tinyrt/sched/pool.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt::detail {

namespace {

bool is_done(const void* s) noexcept {
    return static_cast<const handle_base*>(s)->done();
}

// join() on a worker of another pool: runs the task here, as a guest of its
// pool, unless a worker claimed it first. The handle's reference keeps the
// block alive; the queue entry's is dropped by whoever dequeues it.
void run_as_guest(handle_base& s, task_block* b, sched_core& pool) noexcept {
    if (!s.claim_as_guest()) return;
    guest_scope guest{pool};  // counted while the queue entry keeps the pool alive
    s.mark_registered();
    pool.run_claimed(b, s.run_claimed);  // recorded on this thread's lane of its pool's timeline
}

}  // namespace

void join_wait(handle_base& s, task_block* b, sched_core* pool) noexcept {
    worker* w = tls_worker;
    if (w != nullptr && s.unclaimed()) {
        if (w->owner == pool) {
            // The handle holds a reference, so the count cannot reach zero
            // meanwhile; this one is dropped by run().
            s.refs.fetch_add(1, relaxed);
            b->run(b);  // runs it here unless a worker claimed it first
        } else {
            run_as_guest(s, b, *pool);
        }
    }
    if (s.done()) return;
    // Own-deque entries older than this call are not ours to run.
    const std::int64_t mark = w != nullptr ? w->queue.logical_bottom() : INT64_MAX;
    // Helping is a worker's (its thread is traced when its pool is); the
    // joined task's id is its block's address, as at its spawn (pool.cpp).
    const auto joined = reinterpret_cast<std::uintptr_t>(b);
    if (w != nullptr) trace::help_begin(joined);
    wait_until({&s.word, &is_done, &s, mark});
    if (w != nullptr) trace::help_end(joined);
}

}  // namespace tinyrt::detail
