// A multi-producer, multi-consumer queue of task blocks with a separate
// count of what it holds: the pool's injection queue and its queue of
// fork-join children spawned from outside.
//
// The queue itself is a moodycamel::ConcurrentQueue, kept out of this header
// (counted_queue.cpp) so that a program including tinyrt compiles none of it.
// The count exists because the queue's try_dequeue may miss items that are
// present (DESIGN.md, "Park and notify"), and parking
// must not be decided on a miss: push increments it seq_cst after the item
// is in, a consumer decrements it after taking one, and a worker about to
// park re-reads it seq_cst (parking.hpp, notify steps a-b).
#pragma once

#include <atomic>
#include <cstdint>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/cache.hpp"

namespace tinyrt::detail {

struct task_block;

class counted_queue {
public:
    counted_queue() noexcept;
    ~counted_queue();
    counted_queue(const counted_queue&) = delete;
    counted_queue& operator=(const counted_queue&) = delete;

    // Adds `b` (any thread), then counts it; `what` names the queue in the
    // out-of-memory message.
    void push(task_block* b, const char* what) noexcept;
    // A block, or null when it looks empty (a hint) or the dequeue missed.
    task_block* try_pop() noexcept;
    // Whether it holds anything, for the park and sleep re-checks.
    bool looks_non_empty() const noexcept { return count_.load(seq_cst) > 0; }
    // A recent count, for reports (introspect.hpp); orders nothing.
    std::int64_t size_hint() const noexcept {
        // a snapshot only
        return count_.load(relaxed);
    }

private:
    struct impl;
    impl* impl_;
    alignas(cache_line) detail::atomic<std::int64_t> count_{0};
};

}  // namespace tinyrt::detail
