// Task blocks: the fixed-size, type-erased unit of work the scheduler moves
// between deques, and the per-worker cache that recycles them.
//
// Why fixed-size blocks: fib(35) spawns ~30 million tasks. A heap allocation
// per spawn would cost more than the task itself, so every spawn takes a
// 128-byte block from the spawning worker's cache and the finishing worker
// gives it back to its own cache (small-buffer closures, recycled blocks);
// the two fork-join jobs that live in the spawning frame instead, join's
// second closure (stack_job.hpp) and a task_group's inline child
// (inline_child.hpp), take none. A
// closure that does not fit the block's buffer is boxed on the heap; that is
// the only per-spawn allocation, and the common lambdas never need it.
//
// Blocks migrate: a block spawned on worker A and stolen by B is recycled
// into B's cache. A worker that only steals would fill its cache while the
// spawner's empties, so a full cache hands half of its blocks to the pool's
// depot in one batch, and an empty cache refills from the depot before it
// asks the heap (one lock per `batch` blocks, never per spawn).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>

#include "tinyrt/detail/cache.hpp"

namespace tinyrt::detail {

struct task_header;
struct task_block;

// Runs the queued job, then gives its memory back (a block to its cache, or
// to a join_handle that still refers to it; a stack job signals its owner).
// Called exactly once per queued job.
using task_fn = void (*)(task_header*) noexcept;

inline constexpr std::size_t task_block_size = 128;

// What made a queued job: a fork-join child (a task_group child or the
// second closure of tinyrt::join), a pool.spawn task, or the ticket of a
// task_group child spawned from outside the pool (outside_children.hpp;
// only in the pool's second queue, never in a deque). A waiting worker runs
// a task it took from a deque only if it is a fork-join child (pool.cpp,
// wait_until). The last two run their closure only if they win a claim, and
// record their run themselves (claimed_run.hpp).
enum class task_kind : std::uintptr_t { fork_join, spawned, outside_ticket };

// What every queued job starts with, and all that the queues and the worker
// loop read: how to run it and its kind. Three kinds of object derive from
// it: task_block (a 128-byte block from a cache, the closure inside it),
// stack_job (tinyrt::join's second closure, in the joining frame:
// stack_job.hpp) and inline_child (a task_group's first child, in the group:
// inline_child.hpp). The queues hold task_header pointers; a job's own `run`
// knows which of the three it is and converts back with static_cast.
struct task_header {
    task_fn run = nullptr;
    union {
        task_block* next = nullptr;  // a block's free-list link, only while cached
        task_kind kind;              // set with `run` when a job is built, while queued
    };
};

struct alignas(cache_line) task_block : task_header {
    alignas(16) std::byte storage[task_block_size - sizeof(task_header)];
};
static_assert(sizeof(task_block) == task_block_size);

// The block a block job's run function receives (see task_header).
inline task_block* block_of(task_header* h) noexcept {
    return static_cast<task_block*>(h);
}

// The entry of a job built in a block: adapts a run function taking the
// block (F) to task_fn, with no extra call (F is inlined into it).
template <void (*F)(task_block*) noexcept>
void block_entry(task_header* h) noexcept {
    F(block_of(h));
}

inline constexpr std::size_t task_storage_size = sizeof(task_block::storage);

// Raw block memory from the heap (aligned to a cache line so two blocks
// never share one).
task_block* allocate_block();
void free_block(task_block* b) noexcept;

// A singly linked chain of free blocks.
struct block_chain {
    task_block* head = nullptr;
    std::size_t count = 0;
};

// Where full caches leave blocks for empty ones; one per pool.
class block_depot {
public:
    block_depot() = default;
    block_depot(const block_depot&) = delete;
    block_depot& operator=(const block_depot&) = delete;
    ~block_depot();

    void put(block_chain chain) noexcept;
    block_chain take() noexcept;  // an empty chain when the depot is empty

private:
    // The chains are linked through their head blocks' storage, so the
    // depot itself never allocates.
    struct chain_link {
        task_block* next_chain;
        std::size_t count;
    };

    std::mutex mutex_;
    task_block* chains_ = nullptr;  // guarded by mutex_
};

// One per worker thread; only its owner touches it.
class block_cache {
public:
    static constexpr std::size_t limit = 4096;  // blocks kept (512 KiB)
    static constexpr std::size_t batch = limit / 2;
    // Blocks a worker starts with (32 KiB). A worker's live blocks are its
    // recursion depth times its helping depth plus its queued tasks; starting
    // with this many means a thief that suddenly runs a deep stolen subtree
    // does not go to the heap in the middle of a run.
    static constexpr std::size_t initial = 256;

    explicit block_cache(block_depot* depot) : depot_(depot) {
        for (std::size_t i = 0; i < initial; ++i) put(allocate_block());
    }
    block_cache(const block_cache&) = delete;
    block_cache& operator=(const block_cache&) = delete;
    ~block_cache();

    task_block* get() {
        if (free_.head == nullptr) refill();
        if (free_.head == nullptr) return allocate_block();
        task_block* b = free_.head;
        free_.head = b->next;
        --free_.count;
        return b;
    }

    void put(task_block* b) noexcept {
        if (free_.count == limit) spill();
        b->next = free_.head;
        free_.head = b;
        ++free_.count;
    }

private:
    void refill();
    void spill() noexcept;

    block_chain free_;
    block_depot* depot_;
};

// The calling thread's cache: set by pool workers for their lifetime, null on
// every other thread (which then uses the heap directly).
inline constinit thread_local block_cache* tls_block_cache = nullptr;

inline task_block* acquire_block() {
    if (block_cache* c = tls_block_cache) return c->get();
    return allocate_block();
}

inline void release_block(task_block* b) noexcept {
    if (block_cache* c = tls_block_cache) {
        c->put(b);
    } else {
        free_block(b);
    }
}

// Gives a freshly acquired block back if constructing its job throws (the
// closure's copy or move constructor may); dismiss() once the job is built.
class block_guard {
public:
    explicit block_guard(task_block* b) noexcept : block_(b) {}
    block_guard(const block_guard&) = delete;
    block_guard& operator=(const block_guard&) = delete;
    ~block_guard() {
        if (block_ != nullptr) release_block(block_);
    }
    void dismiss() noexcept { block_ = nullptr; }

private:
    task_block* block_;
};

// The object of type J that a block's storage holds at offset 0.
template <typename J>
J* job_in(task_block* b) noexcept {
    return std::launder(reinterpret_cast<J*>(b->storage));
}

}  // namespace tinyrt::detail
