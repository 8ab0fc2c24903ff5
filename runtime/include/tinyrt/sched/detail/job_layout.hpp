// How a job sits in a task block (task.hpp), and the one rule that puts it
// there: the closure lives in the block's storage if it fits, else on the
// heap (boxed) with only its pointer in the block.
//
// Every job is a header at offset 0 of the storage (what the job's run
// function and its waiters need: a join_handle's state, a task_group
// child's group) followed by the closure at the next offset its alignment
// allows:
//
//   task_block: [ run | kind ][ header H | padding | closure F ...      ]
//                              storage: 112 bytes, 16-byte aligned
//
// The layouts built on it: a pool.spawn task (join_handle.hpp, spawn_job_of:
// H = handle_state<T>), a task_group child spawned on a worker of its pool
// (group_state.hpp, child_job: H = its group and who spawned it) and one
// spawned from outside the pool (outside_children.hpp, outside_job).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "tinyrt/sched/detail/task.hpp"

namespace tinyrt::detail {

// The closure F after the header H in a block's storage.
template <typename H, typename F>
struct closure_slot {
    static constexpr std::size_t offset = (sizeof(H) + alignof(F) - 1) / alignof(F) * alignof(F);
    static constexpr bool fits = offset + sizeof(F) <= task_storage_size && alignof(F) <= 16;

    static F* get(task_block* b) noexcept {
        return std::launder(reinterpret_cast<F*>(b->storage + offset));
    }
    // Constructs the closure first: if its constructor throws, nothing else
    // is in the block yet.
    template <typename G>
    static F* construct(task_block* b, G&& g) {
        static_assert(fits);
        return new (b->storage + offset) F(std::forward<G>(g));
    }
};

// A closure too large for the block's storage lives on the heap.
template <typename F>
struct boxed {
    explicit boxed(F f) : p(new F(std::move(f))) {}
    boxed(boxed&& o) noexcept : p(o.p) { o.p = nullptr; }
    boxed(const boxed&) = delete;
    ~boxed() { delete p; }
    decltype(auto) operator()() { return (*p)(); }
    F* p;
};

// A fresh block holding the job of layout Job<C>, where C is f's decayed
// type if Job<C> fits the block, else boxed<C>. Job<C>::construct(block,
// closure, args...) builds the job (closure first, then the header, then
// `run` and `kind`) and returns its header; make_job returns the block and
// that header. If building throws, the block goes back to the cache.
// Builds Job<decay F> in the fresh block b (given back if that throws).
template <template <typename> class Job, typename F, typename... Args>
auto build_job(task_block* b, F&& f, Args&&... args) {
    using C = std::decay_t<F>;
    block_guard guard{b};
    auto* header = [&] {
        if constexpr (Job<C>::fits) {
            return Job<C>::construct(b, std::forward<F>(f), std::forward<Args>(args)...);
        } else {
            return Job<boxed<C>>::construct(b, boxed<C>(C(std::forward<F>(f))),
                                            std::forward<Args>(args)...);
        }
    }();
    guard.dismiss();
    return std::pair{b, header};
}

// A block from the calling thread's cache (or the heap), holding Job.
template <template <typename> class Job, typename F, typename... Args>
auto make_job(F&& f, Args&&... args) {
    return build_job<Job>(acquire_block(), std::forward<F>(f), std::forward<Args>(args)...);
}

// make_job on a pool worker that already holds its worker: `cache` must be
// the calling thread's own cache (tls_block_cache), which saves looking it up.
template <template <typename> class Job, typename F, typename... Args>
auto make_job_in(block_cache& cache, F&& f, Args&&... args) {
    return build_job<Job>(cache.get(), std::forward<F>(f), std::forward<Args>(args)...);
}

}  // namespace tinyrt::detail
