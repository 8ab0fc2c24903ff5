// tinyrt::join_handle<T>: the result of one pool.spawn(f), like Python's
// Thread.join plus the return value, or Tokio's JoinHandle.
//
// Lifetime: the task's block holds a small shared state (result, exception,
// futex word, reference count 2: the task and the handle). The block is
// recycled when both are done with it, so a spawn needs no allocation beyond
// the block. Dropping the handle detaches the task: it still runs; if it
// then fails, nobody can receive the error, so it is printed to stderr
// rather than silently dropped.
#pragma once

#include <atomic>
#include <climits>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/detail/os_thread.hpp"
#include "tinyrt/sched/detail/claimed_run.hpp"
#include "tinyrt/sched/detail/job_layout.hpp"
#include "tinyrt/sched/detail/task.hpp"
#include "tinyrt/sched/detail/worker.hpp"

namespace tinyrt {

template <typename T>
class join_handle;

namespace detail {

// The part of a spawned task's block that the handle sees; handle_base is
// what does not depend on the result type (the claim and the wait, shared by
// every join_handle<T>).
struct handle_base {
    static constexpr std::uint32_t waiter_bit = 1;       // a joiner may sleep on `word`
    static constexpr std::uint32_t done_bit = 2;         // result (or error) is stored
    static constexpr std::uint32_t started_bit = 4;      // claimed: someone runs (ran) the closure
    static constexpr std::uint32_t guest_bit = 8;        // set with started_bit by a guest joiner
    static constexpr std::uint32_t registered_bit = 16;  // that guest is counted by the pool

    detail::atomic<std::uint32_t> word{0};
    // The queue entry and the handle; a joiner of the same pool that runs the
    // task inline adds one for that call.
    detail::atomic<std::uint32_t> refs{2};
    // Runs the closure of a task already claimed (a guest's join()).
    void (*run_claimed)(task_block*) noexcept = nullptr;

    bool done() const noexcept {
        return (word.load(acquire) & done_bit) != 0;  // pairs with the acq_rel fetch_or in finish()
    }

    // Exactly one caller gets true and runs the closure: the worker that
    // dequeued the block or a joiner running it inline (join()). Both already
    // see the closure (the queue or the handle published it), and the result
    // is published by finish(). A worker that loses to a guest (a joiner on
    // a worker of another pool, DESIGN.md, "Guests") waits until the guest is
    // counted by the pool, so the pool cannot conclude it is quiescent, nor
    // be destroyed, in between; the wait is a few instructions long.
    bool claim() noexcept {
        // acq_rel: a loser's acquire sees the winner's bits (see above).
        std::uint32_t before = word.fetch_or(started_bit, acq_rel);
        if ((before & started_bit) == 0) return true;
        if ((before & guest_bit) != 0) {
            // acquire: pairs with the guest's release fetch_or of registered_bit,
            // after which the pool's guest count is visible to this worker.
            while ((word.load(acquire) & registered_bit) == 0) yield_thread();
        }
        return false;
    }

    // join() on a worker of another pool: claims with the guest bit. If it
    // wins, the queue entry is still pending, so the task's pool is alive
    // until the caller has counted itself and called mark_registered().
    bool claim_as_guest() noexcept {
        // acq_rel: as in claim().
        std::uint32_t before = word.fetch_or(started_bit | guest_bit, acq_rel);  // see above
        return (before & started_bit) == 0;  // lost: the guest bit is ignored by everyone
    }
    void mark_registered() noexcept {
        // release: the guest count, to claim()'s wait
        word.fetch_or(registered_bit, detail::release);
    }

    // A hint: nobody has claimed the task yet.
    bool unclaimed() const noexcept {
        return (word.load(relaxed) & started_bit) == 0;  // a hint; claim() decides
    }

    // Called once by the task when it has stored its result.
    void finish() noexcept {
        // release: publishes value/error to done()
        std::uint32_t before = word.fetch_or(done_bit, acq_rel);
        if ((before & waiter_bit) != 0) futex_wake(word, INT_MAX);
    }
};

// join() until the task is done: runs it inline if nobody has started it,
// as a guest on a worker of another pool, else waits (DESIGN.md, "What a
// waiting worker may run", rule 4). Out of line (join.cpp): the same for
// every result type. `pool` is where the task was spawned.
void join_wait(handle_base& s, task_block* b, sched_core* pool) noexcept;

#if TINYRT_EXCEPTIONS
// Prints a detached task's failure to stderr (nobody can receive it).
void report_detached_failure(const std::exception_ptr& e) noexcept;
#endif

// The errors of join() and spawn, out of line (handle_errors.cpp) so that no caller
// inlines the construction of the exception: std::logic_error naming the
// misuse (without exceptions: the message, then abort).
[[noreturn]] void throw_empty_join();
[[noreturn]] void throw_shutting_down();

template <typename T>
struct handle_state : handle_base {
    std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> value{};
#if TINYRT_EXCEPTIONS
    std::exception_ptr error;
#endif

    // Drops one reference; the last one destroys the state and frees the block.
    void release(task_block* block) noexcept {
        // acq_rel: the last owner sees every write of the other one.
        std::uint32_t before = refs.fetch_sub(1, acq_rel);
        if (before != 1) return;
#if TINYRT_EXCEPTIONS
        if (error) report_detached_failure(error);
#endif
        this->~handle_state();
        release_block(block);
    }
};

// The job a pool.spawn stores in its block (job_layout.hpp): the state at
// offset 0, then F.
template <typename T>
struct spawn_job_of {
    template <typename F>
    struct job;
};

template <typename T>
template <typename F>
struct spawn_job_of<T>::job {
    using slot = closure_slot<handle_state<T>, F>;
    static constexpr bool fits = slot::fits;

    template <typename G>
    static handle_state<T>* construct(task_block* b, G&& g) {
        slot::construct(b, std::forward<G>(g));
        auto* s = new (b->storage) handle_state<T>();
        s->run_claimed = &run_claimed;
        b->run = &block_entry<&run>;
        b->kind = task_kind::spawned;
        return s;
    }

    // Called once for the queue entry, and once more by a joiner that runs
    // the task inline; whoever claims it runs the closure (and records the
    // run: claimed_run.hpp), each call drops its reference. Both run on a
    // worker of the task's pool.
    static void run(task_block* b) noexcept {
        auto* s = job_in<handle_state<T>>(b);
        if (s->claim()) run_claimed_here(b, &run_claimed);
        s->release(b);
    }

    // The closure of a claimed task: from run(), or for a guest joiner that
    // won claim_as_guest() (it holds the handle's reference meanwhile).
    static void run_claimed(task_block* b) noexcept {
        handle_state<T>* s = job_in<handle_state<T>>(b);
        F* f = slot::get(b);
#if TINYRT_EXCEPTIONS
        try {
#endif
            if constexpr (std::is_void_v<T>) {
                (*f)();
            } else {
                s->value.emplace((*f)());
            }
#if TINYRT_EXCEPTIONS
        } catch (...) {
            s->error = std::current_exception();
        }
#endif
        f->~F();
        s->finish();
    }
};

}  // namespace detail

template <typename T>
class join_handle {
public:
    join_handle() noexcept = default;
    join_handle(join_handle&& o) noexcept
        : block_(std::exchange(o.block_, nullptr)),
          state_(std::exchange(o.state_, nullptr)),
          pool_(std::exchange(o.pool_, nullptr)) {}
    join_handle& operator=(join_handle&& o) noexcept {
        if (this != &o) {
            detach();
            block_ = std::exchange(o.block_, nullptr);
            state_ = std::exchange(o.state_, nullptr);
            pool_ = std::exchange(o.pool_, nullptr);
        }
        return *this;
    }
    join_handle(const join_handle&) = delete;
    join_handle& operator=(const join_handle&) = delete;

    // Dropping the handle detaches the task; it still runs to completion.
    ~join_handle() { detach(); }

    // True until join() or detach().
    bool joinable() const noexcept { return state_ != nullptr; }

    // True once the task has finished (join() would not wait).
    bool done() const noexcept { return state_ != nullptr && state_->done(); }

    // Waits for the task and returns its value, or rethrows its exception.
    // Calling it on an empty handle is an error.
    //
    // On a worker of any pool, a task that nobody has started yet is run
    // right here, inline on the joiner's stack (its queue entry is then
    // skipped). A worker of another pool runs it as a guest: the task's
    // spawns and task_groups still go to the task's pool, as from an outside
    // thread (DESIGN.md, "What a waiting worker may run", rule 4). So a task
    // on pool A that joins a task on pool B that joins a new task on A
    // progresses even when every worker of A waits in such a join. If the
    // task has started elsewhere, the wait runs only tasks that cannot wait
    // for the joiner: task_group children (rule 2); it never runs another
    // pool.spawn task on top of the joiner's frame. On a thread that is no
    // pool's worker join() never runs the task: it spins briefly and then
    // sleeps.
    //
    // Still a deadlock, as with any blocking join: a cycle of joins (a task
    // that joins a task which joins it back, directly or through others),
    // and a task_group child that joins a pool.spawn task whose work waits
    // (through joins or groups) for that child's own ancestors: a waiting
    // worker may run that child on top of the very frame it waits for.
    T join() {
        if (state_ == nullptr) detail::throw_empty_join();
        if (!state_->done()) detail::join_wait(*state_, block_, pool_);
        detail::handle_state<T>* s = std::exchange(state_, nullptr);
        detail::task_block* b = std::exchange(block_, nullptr);
        pool_ = nullptr;
#if TINYRT_EXCEPTIONS
        if (s->error) {
            std::exception_ptr e = std::exchange(s->error, nullptr);
            s->release(b);
            std::rethrow_exception(e);
        }
#endif
        if constexpr (std::is_void_v<T>) {
            s->release(b);
        } else {
            T v = std::move(*s->value);
            s->release(b);
            return v;
        }
    }

    // Lets the task run on without a handle.
    void detach() noexcept {
        if (state_ != nullptr)
            std::exchange(state_, nullptr)->release(std::exchange(block_, nullptr));
    }

private:
    friend class pool;
    friend class detail::sched_core;
    join_handle(detail::task_block* b, detail::handle_state<T>* s, detail::sched_core* p) noexcept
        : block_(b), state_(s), pool_(p) {}

    detail::task_block* block_ = nullptr;
    detail::handle_state<T>* state_ = nullptr;
    detail::sched_core* pool_ =
        nullptr;  // where the task was spawned: a joiner of another pool is its guest
};

}  // namespace tinyrt
