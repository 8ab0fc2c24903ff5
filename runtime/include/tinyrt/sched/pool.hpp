// tinyrt::pool: a work-stealing thread pool (Python's ThreadPool / Pool,
// oneTBB's task_arena, Tokio's multi-thread runtime).
//
//   tinyrt::pool pool{{.workers = 4}};            // default: hardware threads
//   auto h = pool.spawn([] { return 41 + 1; });   // tinyrt::join_handle<int>
//   int v = h.join();
//   std::vector<int> r = pool.map(inc, items);    // ordered, parallel
//
// Where work goes. A task_group child spawned on one of this pool's workers
// goes to that worker's local_queue (local_queue.hpp): a private buffer while
// every other worker is busy (no lock, no allocation, no fence), else its
// Chase-Lev deque (chase_lev_deque.hpp), where idle workers steal it. A
// pool.spawn() task spawned on a worker always goes to the public deque, and
// an idle worker is woken: its spawner may block on it outside tinyrt. So,
// inside a task, wait for task_group children only through wait(): blocking
// on another primitive (a latch, a mutex, a future) while children are
// still private delays them until the parent returns (a deadlock if they
// are what it waits for). From any other thread (main, an event loop, a
// worker of another pool, also while it runs one of our tasks as a guest):
//   - pool.spawn() goes through the injection queue, a
//     moodycamel::ConcurrentQueue, plus a separate count of queued tasks,
//     because the queue's try_dequeue may miss items that are present
//     (DESIGN.md, "Park and notify"), and parking
//     must not be decided on a miss. Waiting workers never read it
//     (DESIGN.md, "What a waiting worker may run", rule 3);
//   - a task_group child goes to the group's own list (its waiter runs it,
//     detail/outside_children.hpp) and, as a ticket, to a second such queue
//     that waiting workers do read (rule 2): fork-join children cannot wait
//     for a waiting frame. Either side may claim it.
//
// Loops on workers (to_thread.hpp). An event loop running on one of our
// workers blocks it: its to_thread jobs go through the injection queue
// (spawn_injected), where the other workers look. Each worker counts the
// jobs its loop waits for (loop_jobs); while every worker has one, none can
// take a new job before one of those finishes, and none can finish, so
// to_thread refuses the job that would make every worker blocked
// (begin_loop_wait) instead of hanging. The count drops when the job
// finishes, not when the loop resumes: from then on the worker may leave
// its loop. A worker blocked in a loop for any other reason (a sleep, a
// socket) is not counted: such a job is accepted and waits for it.
//
// Worker loop (pool.cpp): pop the own deque (every 61st time look at the
// two queues from outside first, so outside work is not starved by a busy
// tree); else search: the injection queue, the fork-join tickets, then steal
// from random victims, for a bounded number of rounds; else park
// (parking.hpp).
//
// Shutdown protocol (~pool):
//   1. stopping_ = true: spawns from outside the pool are now refused with an
//      error; spawns from tasks running on the workers are still accepted
//      (they are children of work that was already spawned). A spawn from
//      outside counts as a guest from its check until its job is queued
//      (check_accepting), so step 3 sees it or it sees stopping_.
//   2. wake every parked worker.
//   3. Each worker keeps running tasks. A worker that finds nothing parks;
//      if it is the last one to park (all N announced), stopping_ is set and
//      no guest runs one of our tasks (guests_ == 0; both read before the re-check)
//      and its re-check saw no work anywhere, the pool is quiescent: nothing
//      is queued, nothing runs (a running task belongs to a worker that is
//      not parked, or to a counted guest), so nothing can be spawned again.
//      It sets terminated_ and wakes the others, and every worker exits. The
//      last guest to leave while stopping_ is set wakes every sleeper, so
//      the last parker looks again.
//   4. the destructor joins the threads.
// So every task spawned before the destructor started runs, and so does
// everything those tasks spawn, wherever they run.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/detail/asymmetric_fence.hpp"
#include "tinyrt/sched/detail/counted_queue.hpp"
#include "tinyrt/sched/detail/parking.hpp"
#include "tinyrt/sched/detail/task.hpp"
#include "tinyrt/sched/detail/worker.hpp"
#include "tinyrt/sched/join_handle.hpp"
#include "tinyrt/sched/stats.hpp"
#include "tinyrt/trace/current.hpp"

namespace tinyrt {

struct pool_options {
    unsigned workers = 0;  // 0: one per hardware thread
    // Records the pool's timeline (README, "Seeing what the runtime
    // did"); null: off. Must outlive the pool.
    trace::recorder* trace = nullptr;
    // With trace: the lanes are "<trace_name> worker N" ("worker N" if null).
    // The text is copied.
    const char* trace_name = nullptr;
};

class task_group;

class pool;

namespace detail {
class sched_core;
class sched_inspector;
sched_core& core_of(pool& p) noexcept;

// The scheduler itself: the workers, the idle set, the queues, and the one
// interface that task_group, join_handle, map and to_thread use. tinyrt::pool
// is a thin public class over it (its private base), so applications see
// only spawn, map, size and stats. Reached from a pool by core_of(pool&).
class sched_core {
public:
    sched_core(const sched_core&) = delete;
    sched_core& operator=(const sched_core&) = delete;

    // Where a pool.spawn task goes (spawn below).
    enum class spawn_route {
        // Stealable at once (submit_public): pool::spawn.
        public_queue,
        // Through the injection queue even when called on one of our
        // workers, whose own deque is then published first (submit_injected):
        // to_thread from an event loop on a worker ("Loops on workers"
        // above). That worker is about to block in the loop, so the job goes
        // where the other workers look, as from any outside thread.
        injection,
    };

    // The one spawn path of pool.spawn tasks: builds the job (after
    // check_accepting), queues it by `route`, returns its handle.
    template <spawn_route route = spawn_route::public_queue, typename F>
    auto spawn(F&& f, tinyrt::task_name name = tinyrt::source_location::current())
        -> join_handle<std::invoke_result_t<std::decay_t<F>&>> {
        using T = std::invoke_result_t<std::decay_t<F>&>;
        const admission admitted = check_accepting();
        auto [b, s] = detail::make_job<detail::spawn_job_of<T>::template job>(std::forward<F>(f));
        if (trace_ != nullptr) [[unlikely]]
            trace_spawn(b, name, route == spawn_route::injection);
        if constexpr (route == spawn_route::injection) {
            submit_injected(b);
        } else {
            submit_public(b);
        }
        return join_handle<T>(b, s, this);
    }
    template <typename F>
    auto spawn_injected(F&& f, tinyrt::task_name name = tinyrt::source_location::current()) {
        return spawn<spawn_route::injection>(std::forward<F>(f), name);
    }

    // Timeline (pool_options::trace): the recorder, or null when off.
    trace::recorder* tracer() const noexcept { return trace_; }
    // Records the spawn of block b (a pool.spawn task, or a to_thread job
    // when `to_thread`), named by `name`, on the calling thread's track.
    // Only when tracer() is set; out of line, in pool.cpp.
    void trace_spawn(detail::task_block* b, tinyrt::task_name name, bool to_thread);
    // The same for a task_group child (a block, or the group's inline child).
    void trace_child_spawn(detail::task_header* b, tinyrt::task_name name);

    unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()); }

    // Per-worker counters; a consistent total once the pool is idle.
    pool_stats stats() const;

    // ---- the interface of task_group, join_handle, map and to_thread ----

    // Throws (the no-exceptions build: aborts) if the calling thread is
    // neither one of our workers nor running one of our tasks as a guest,
    // and the pool is shutting down. Every spawn path (pool::spawn,
    // task_group::spawn, and so map) calls it before it builds a job, so a
    // refused spawn leaves nothing to undo; submit() never throws.
    //
    // A spawn from outside is counted with the guests from before that
    // check until its job is queued (the returned admission), so shutdown
    // step 3 cannot find the pool quiescent in between: either the last
    // parker sees the count, or this check sees stopping_ (both seq_cst).
    class [[nodiscard]] admission {
    public:
        explicit admission(sched_core* counted) noexcept : counted_(counted) {}
        admission(const admission&) = delete;
        admission& operator=(const admission&) = delete;
        ~admission() {
            if (counted_ != nullptr) counted_->end_outside_spawn();
        }

    private:
        sched_core* counted_;
    };
    admission check_accepting() {
        detail::worker* w = detail::tls_worker;
        if (w != nullptr && w->owner == this) return admission{nullptr};
        if (detail::tls_guest == this) return admission{nullptr};  // a task of ours: counted
        guests_.fetch_add(1, detail::seq_cst);
        if (stopping_.load(detail::seq_cst)) {
            end_outside_spawn();
            detail::throw_shutting_down();
        }
        return admission{this};
    }
    // As a guest leaving: the last one while stopping_ is set wakes the sleepers.
    void end_outside_spawn() noexcept;

    // Queues the ticket of a task_group child spawned from a thread that is
    // not one of our workers (detail/outside_children.hpp): workers take it
    // in their loop, never while waiting (DESIGN.md, "What a waiting worker
    // may run", rule 3), and are notified. Never throws.
    void submit_from_outside(detail::task_block* b) noexcept;

    // Queues a block whose job is constructed: on the calling worker's deque
    // if it is one of ours, else on the injection queue (the caller ran
    // check_accepting() first).
    void submit(detail::task_block* b) {
        detail::worker* w = detail::tls_worker;
        if (w != nullptr && w->owner == this) {
            push_local(*w, b);
        } else {
            inject(b);
        }
    }

    // Like submit(), but never into the private buffer: the task is
    // stealable at once and an idle worker is woken. pool.spawn() uses it,
    // because the spawner may go on to block outside tinyrt (a latch, a
    // mutex, I/O) on something the task does, and a private task would wait
    // for the spawner's next push or pop.
    void submit_public(detail::task_block* b) {
        detail::worker* w = detail::tls_worker;
        if (w != nullptr && w->owner == this) {
            w->counters.tasks_spawned.add();
            if (w->queue.push(b, true)) made_public();
        } else {
            inject(b);
        }
    }

    // spawn_route::injection's queueing (above); out of line, it is rare.
    void submit_injected(detail::task_block* b);

    // The calling worker must be one of ours; counted as a spawned task.
    void push_local(detail::worker& w, detail::task_header* b) {
        w.counters.tasks_spawned.add();
        push_job(w, b);
    }

    // push_local, uncounted: tinyrt::join's stack job, counted only when it
    // is stolen (fork_join.hpp).
    void push_job(detail::worker& w, detail::task_header* b) {
        if (w.queue.try_push_private(b, idle_.others_idle())) return;  // the fast path
        push_local_slow(w, b);
    }

    // The calling worker's newest task, or null.
    detail::task_header* pop_local(detail::worker& w) {
        if (detail::task_header* b = w.queue.try_pop_private()) return b;  // the fast path
        return pop_local_slow(w);
    }

    [[gnu::noinline]] void push_local_slow(detail::worker& w, detail::task_header* b) {
        if (w.queue.push(b, idle_.others_idle())) made_public();
    }

    [[gnu::noinline]] detail::task_header* pop_local_slow(detail::worker& w) {
        bool published = false;
        detail::task_header* b = w.queue.pop(published);
        if (published) made_public();
        return b;
    }

    // Makes the calling worker's private tasks stealable (before it blocks).
    void publish_local(detail::worker& w) {
        if (w.queue.publish_all()) made_public();
    }

    // Whether run_task records its runs on the calling thread (it is traced):
    // a job run without run_task (task_group's inline child) must then go
    // through it.
    static bool tracing_here() noexcept { return trace::current_buffer() != nullptr; }

    void run_task(detail::worker& w, detail::task_header* b) noexcept {
        w.counters.tasks_run.add();
        // One predictable branch while this thread is not traced (pool.cpp).
        if (tracing_here()) [[unlikely]]
            return run_task_traced(b);
        b->run(b);
    }
    // run_task on a traced thread: a fork-join job's begin and end around
    // it; a claimed job records its own run (claimed_run.hpp).
    [[gnu::noinline]] void run_task_traced(detail::task_header* b) noexcept;

    // Runs execute(b), the closure of a job of this pool whose claim the
    // calling thread won, recorded on that track when the pool is traced
    // (claimed_run.hpp): from its worker, a guest joiner or a group waiter.
    void run_claimed(detail::task_block* b, void (*execute)(detail::task_block*) noexcept) noexcept;

    // A task from the injection queue or another worker's deque, or null.
    detail::task_header* find_foreign(detail::worker& w) noexcept;

    // For a waiting worker (wait_until, task_group::wait): the newest entry
    // of its own queue if it is a fork-join task, or null. A pool.spawn task
    // that a descendant of the waiting frame spawned may join the task this
    // worker waits in, so it must not run on top of it (DESIGN.md, rule 1):
    // it goes to the injection queue, where a worker in its loop runs it
    // (`moved` is set).
    detail::task_header* pop_for_waiter(detail::worker& w, bool& moved) noexcept {
        // The private buffer holds fork-join jobs only: pool.spawn tasks are
        // always public (submit_public).
        if (detail::task_header* b = w.queue.try_pop_private()) [[likely]]
            return b;
        return pop_for_waiter_slow(w, moved);
    }
    [[gnu::noinline]] detail::task_header* pop_for_waiter_slow(detail::worker& w,
                                                               bool& moved) noexcept {
        detail::task_header* b = pop_local_slow(w);
        if (b == nullptr || b->kind == detail::task_kind::fork_join) return b;
        hand_spawn_to_loop(b);
        moved = true;
        return nullptr;
    }
    void hand_spawn_to_loop(detail::task_header* b) noexcept;

    // For a waiting worker (wait_until): a fork-join task stolen from another
    // worker's deque, or null (never a ticket: DESIGN.md, rule 3). A
    // pool.spawn task stolen meanwhile is not run by the waiter but moved to
    // the injection queue (`moved` is set).
    detail::task_header* steal_for_waiter(detail::worker& w, bool& moved) noexcept;

    // Whether any queue of this pool looked non-empty (seq_cst loads).
    bool has_visible_work() const noexcept;

    // Whether another worker's deque looked non-empty (what a waiter may take).
    bool others_have_work(const detail::worker& w) const noexcept;

    // to_thread on our worker w ("Loops on workers" above): w's event loop
    // is about to wait for one more job of ours. False, counting nothing,
    // when every worker would then be waiting so: nobody could run the job.
    bool begin_loop_wait(detail::worker& w);
    // That job has finished (called where it ran, before it posts back).
    void end_loop_wait(detail::worker& w) noexcept;

protected:
    explicit sched_core(pool_options options);
    ~sched_core();  // runs every spawned task, then joins the workers (see above)

private:
    friend class guest_scope;
    friend class sched_inspector;  // reports: sched/detail/introspect.hpp

    // Notify protocol steps b-e (parking.hpp) after work became public.
    void made_public() noexcept {
        idle_.publish_fence();  // step b: pairs with park_fence() in park()
        idle_.notify_one();
    }

    void inject(detail::task_block* b);
    void enqueue_injected(detail::task_block* b);
    detail::task_block* take_injected() noexcept;
    detail::task_block* take_from_outside() noexcept;
    detail::task_header* steal_round(detail::worker& w) noexcept;
    detail::task_header* search(detail::worker& w, bool counted) noexcept;
    // The end of a counted search: looks for work for a bounded time. It and
    // park() are an idle worker's paths, which yield or sleep: gnu::cold
    // compiles them for size, apart from the task paths.
    [[gnu::cold]] detail::task_header* linger(detail::worker& w) noexcept;
    enum class park_result { rung, found_work, found_work_counted, exit };
    [[gnu::cold]] park_result park(detail::worker& w);
    void worker_main(detail::worker& w);

    detail::block_depot depot_;
    std::vector<std::unique_ptr<detail::worker>> workers_;
    detail::idle_set idle_;
    detail::counted_queue injection_;
    // Tickets of task_group children spawned from outside (see above).
    detail::counted_queue from_outside_;
    alignas(detail::cache_line) detail::atomic<std::uint64_t> external_spawns_{0};
    detail::atomic<unsigned> guests_{0};  // threads running one of our tasks as guests
    detail::atomic<bool> stopping_{false};
    detail::atomic<bool> terminated_{false};
    trace::recorder* const trace_;      // pool_options::trace
    const char* trace_name_ = nullptr;  // pool_options::trace_name, copied by the recorder
    std::uint32_t trace_group_ = 0;     // tells this pool's workers from other pools' in a trace
    std::mutex loop_mutex_;             // guards loop_blocked_ and every worker's loop_jobs
    unsigned loop_blocked_ = 0;         // workers with loop_jobs > 0
};

}  // namespace detail

class pool : private detail::sched_core {
public:
    explicit pool(pool_options options = {}) : sched_core(options) {}
    // Runs every spawned task (and what they spawn), then joins the workers
    // (the shutdown protocol above).
    ~pool() = default;
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;

    // Runs f() on a worker; thread-safe, callable from any thread. Dropping
    // the handle detaches the task (it still runs). Spawning from outside the
    // pool while it is being destroyed is an error that says so.
    //
    // Timeline (pool_options::trace): the task is named by the call's
    // source location ("download.cpp:42"), or by a name given instead
    // (tinyrt/task_name.hpp).
    template <typename F>
    auto spawn(F&& f, tinyrt::task_name name = tinyrt::source_location::current())
        -> join_handle<std::invoke_result_t<std::decay_t<F>&>> {
        return sched_core::spawn(std::forward<F>(f), name);
    }

    // Like Python's Pool.map: f applied to every element of `items` (any
    // sized random-access range), results in input order. Large inputs are
    // split into chunks adaptively (map.hpp). The first exception thrown by f
    // is rethrown here after the other chunks finish.
    template <typename F, typename Range>
    auto map(F&& f, const Range& items);
    template <typename F, typename T>
    auto map(F&& f, std::initializer_list<T> items);

    // The number of workers.
    using sched_core::size;
    // Per-worker counters; a consistent total once the pool is idle.
    using sched_core::stats;

private:
    friend detail::sched_core& detail::core_of(pool& p) noexcept;
    friend class detail::sched_inspector;
};

namespace detail {
// tinyrt's own way from a pool to its core (task_group, join_handle, map,
// to_thread).
inline sched_core& core_of(pool& p) noexcept {
    return p;
}
}  // namespace detail

}  // namespace tinyrt

#include "tinyrt/sched/task_group.hpp"
