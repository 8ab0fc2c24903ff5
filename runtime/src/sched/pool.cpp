// The worker loop, the search, parking and shutdown of tinyrt::pool. The
// protocols are described where their state lives: parking.hpp (park and
// notify), pool.hpp (shutdown), task_group.hpp (bounded helping).
//
// What a waiting worker may run (wait_until, below). A task that a worker
// runs while it waits in frame F sits on top of F on the same stack, so F
// cannot return before that task does. If that task (or anything it runs in
// turn) waits for F's task to finish, both wait forever. The old rule ("run
// anything you can find, to a depth of 32") allowed exactly that: a waiter
// took from the injection queue a task that joined the waiter's own task
// (review finding 1), and at the depth limit it slept although the task it
// needed sat unstarted in a queue (finding 2). The rule now:
//
//   1. Its own deque's entries at or above the wait's mark: they were pushed
//      after the wait's frame started, by that frame or its descendants
//      (task_group.hpp, "Bounded stack"). join() takes the mark at the join,
//      so it runs only what its helped tasks leave behind.
//   2. From other workers' deques, task_group children only (a kind flag in
//      the block, task.hpp). A fork-join child waits only for its own
//      descendants (its groups), which are below it in the task tree, not
//      for the frames it was stacked on. Stealing takes the top entry, which
//      may be a pool.spawn task: the waiter does not run it but moves it to
//      the injection queue (public, counted for parking, notified), where a
//      worker in its loop runs it. It is neither lost nor hidden, and moving
//      it is progress (the victim's deque shrinks), so this cannot spin.
//   3. Never the injection queue: it holds pool.spawn tasks from outside, and
//      a waiter could not put back one it may not run without taking it again.
//   4. join() of a task that nobody has started runs it inline (claiming it
//      through the started bit of its handle state; its queue entry is
//      skipped when dequeued). Running the awaited task itself is always
//      safe, and needs no helping depth: at max_help_depth the waiter still
//      claims its own task. If it started elsewhere, the joiner helps by 1-3.
//
// The waiter sleeps only when no other worker's deque looks non-empty (or it
// is at the depth limit): the injection queue and its own older entries are
// for other workers, which were notified when that work was published.
//
// What still deadlocks (documented in join_handle.hpp): a cycle of joins,
// and a fork-join child that joins a pool.spawn task which in turn waits for
// a frame the child may have been stacked on.
#include "tinyrt/sched/pool.hpp"

#include <cstdio>
#include <thread>

#include "tinyrt/detail/cpu.hpp"

namespace tinyrt {

namespace {

// How many times a worker sweeps all queues before it parks. Each sweep is
// cheap (a few loads per victim); a short search catches work that a busy
// worker is about to push without paying for a park and a wake-up.
constexpr int search_rounds = 64;

// Tasks taken from other queues while waiting may nest this deep (see
// task_group.hpp, "Bounded stack").
constexpr unsigned max_help_depth = 32;

// Waits spin, then yield, then sleep on their futex word.
constexpr unsigned wait_spin_rounds = 64;
constexpr unsigned wait_yield_rounds = 96;

unsigned worker_count(pool_options o) {
    if (o.workers != 0) return o.workers;
    unsigned hw = std::thread::hardware_concurrency();
    return hw != 0 ? hw : 1;
}

}  // namespace

pool::pool(pool_options options) : idle_(worker_count(options)) {
    detail::asymmetric_fence_init();
    const unsigned n = worker_count(options);
    workers_.reserve(n);
    for (unsigned i = 0; i < n; ++i)
        workers_.push_back(std::make_unique<detail::worker>(this, i, &depot_));
    // Start the threads only once every worker exists: thieves index workers_.
    for (auto& w : workers_) {
        detail::worker* raw = w.get();
        w->thread = std::thread([this, raw] { worker_main(*raw); });
    }
}

pool::~pool() {
    detail::worker* self = detail::tls_worker;
    if (self != nullptr && self->owner == this) {
        detail::fatal(
            "tinyrt::pool destroyed from one of its own workers (it would wait for itself)");
    }
    stopping_.store(true, detail::seq_cst);     // shutdown step 1
    idle_.notify_all();                         // step 2
    for (auto& w : workers_) w->thread.join();  // steps 3-4
}

pool_stats pool::stats() const {
    pool_stats s;
    s.workers.reserve(workers_.size());
    for (const auto& w : workers_) s.workers.push_back(w->counters.snapshot());
    s.external_spawns =
        external_spawns_.load(detail::relaxed);  // a counter; no data is published through it
    return s;
}

void pool::inject(detail::task_block* b) {
    external_spawns_.fetch_add(1, detail::relaxed);  // statistics only
    enqueue_injected(b);
}

void pool::enqueue_injected(detail::task_block* b) {
    if (!injection_.enqueue(b))
        detail::fatal("tinyrt::pool::spawn: out of memory in the injection queue");
    injected_.fetch_add(
        1,
        detail::seq_cst);  // notify steps a-b: publish, and a full fence before the sleeper check
    idle_.notify_one();
}

detail::task_block* pool::take_injected() noexcept {
    // A hint only: the dequeue itself synchronizes the item.
    std::int64_t queued = injected_.load(detail::relaxed);  // see the line above
    if (queued <= 0) return nullptr;
    detail::task_block* b = nullptr;
    if (!injection_.try_dequeue(b)) return nullptr;
    // The count only gates parking, which re-reads it seq_cst.
    injected_.fetch_sub(1, detail::relaxed);  // see the line above
    return b;
}

detail::task_block* pool::steal_round(detail::worker& w) noexcept {
    const std::size_t n = workers_.size();
    if (n < 2) return nullptr;
    const std::size_t start = static_cast<std::size_t>(w.next_random() % n);
    for (int attempt = 0; attempt < 4; ++attempt) {
        bool contended = false;
        for (std::size_t k = 0; k < n; ++k) {
            detail::worker& victim = *workers_[(start + k) % n];
            if (&victim == &w) continue;
            w.counters.steal_attempts.add();
            detail::task_block* b = nullptr;
            switch (victim.queue.steal(b)) {
                case detail::local_queue::deque::steal_result::success:
                    w.counters.tasks_stolen.add();
                    return b;
                case detail::local_queue::deque::steal_result::lost_race:
                    contended = true;
                    break;
                case detail::local_queue::deque::steal_result::empty:
                    break;
            }
        }
        if (!contended) break;  // everything looked empty; a retry would not help
    }
    return nullptr;
}

detail::task_block* pool::find_foreign(detail::worker& w) noexcept {
    if (detail::task_block* b = take_injected()) return b;
    return steal_round(w);
}

detail::task_block* pool::steal_for_waiter(detail::worker& w, bool& moved) noexcept {
    detail::task_block* b = steal_round(w);
    if (b == nullptr || b->kind == detail::task_kind::fork_join) return b;
    // A pool.spawn task may wait (join) for the frame this worker waits in,
    // so it must not run on top of it. It is not lost or hidden either: the
    // injection queue is public, counted for parking, and notified.
    enqueue_injected(b);
    moved = true;
    return nullptr;
}

bool pool::others_have_work(const detail::worker& self) const noexcept {
    for (const auto& w : workers_) {
        if (w.get() != &self && w->queue.looks_non_empty()) return true;
    }
    return false;
}

bool pool::has_visible_work() const noexcept {
    if (injected_.load(detail::seq_cst) > 0) return true;
    for (const auto& w : workers_) {
        if (w->queue.looks_non_empty()) return true;
    }
    return false;
}

detail::task_block* pool::search(detail::worker& w, bool counted) noexcept {
    if (!counted) counted = idle_.begin_search();
    detail::task_block* b = nullptr;
    for (int round = 0; round < search_rounds && b == nullptr; ++round) {
        b = find_foreign(w);
        if (b == nullptr) detail::cpu_relax();
    }
    if (counted) idle_.end_search(b != nullptr);
    return b;
}

pool::park_result pool::park(detail::worker& w) {
    const unsigned before = idle_.announce(w.index);  // park step 1
    detail::asymmetric_heavy_fence();                 // step 2
    if (has_visible_work()) {                         // step 3
        return idle_.cancel(w.index) ? park_result::found_work_counted
                                     : park_result::found_work;  // step 4
    }
    if (terminated_.load(detail::seq_cst) ||
        (stopping_.load(detail::seq_cst) && before + 1 == workers_.size())) {
        // Shutdown step 3: every worker is parked and nothing is queued.
        terminated_.store(true, detail::seq_cst);
        bool rung = idle_.cancel(w.index);
        (void)rung;
        idle_.notify_all();
        return park_result::exit;
    }
    w.counters.parks.add();
    idle_.sleep(w.index);  // step 5
    w.counters.wakeups.add();
    return park_result::rung;
}

void pool::worker_main(detail::worker& w) {
    detail::tls_worker = &w;
    detail::tls_block_cache = &w.cache;
    bool counted_searcher = false;  // woken by a notifier, which counted us as searching
    bool idle = true;               // counted in idle_'s idle workers (all start idle)
    for (;;) {
        detail::task_block* b = nullptr;
        if (++w.tick == 61) {  // fairness: outside work is not starved by a deep local tree
            w.tick = 0;
            b = take_injected();
        }
        if (b == nullptr) b = pop_local(w);
        if (b == nullptr && !idle) {
            idle_.become_idle();
            idle = true;
        }
        if (b == nullptr) {
            b = search(w, counted_searcher);
            counted_searcher = false;
        } else if (counted_searcher) {
            idle_.end_search(true);
            counted_searcher = false;
        }
        if (b != nullptr) {
            if (idle) {
                idle_.become_busy();
                idle = false;
            }
            run_task(w, b);
            continue;
        }
        park_result r = park(w);
        if (r == park_result::exit) break;
        counted_searcher = r != park_result::found_work;
        if (terminated_.load(detail::seq_cst)) {
            if (counted_searcher) idle_.end_search(false);
            counted_searcher = false;
            // Keep looping: park() sees terminated_ and exits once nothing is visible.
        }
    }
    if (idle) idle_.become_busy();
    detail::tls_block_cache = nullptr;
    detail::tls_worker = nullptr;
}

namespace detail {

void wait_until(const wait_target& target) noexcept {
    worker* w = tls_worker;
    unsigned idle_rounds = 0;
    while (!target.done(target.context)) {
        if (w != nullptr) {
            pool& p = *w->owner;
            task_block* b = nullptr;
            if (w->queue.logical_bottom() > target.own_mark) b = p.pop_local(*w);
            if (b != nullptr) {
                p.run_task(*w, b);
                idle_rounds = 0;
                continue;
            }
            if (w->help_depth < max_help_depth) {
                bool moved = false;
                b = p.steal_for_waiter(*w, moved);
                if (b != nullptr) {
                    ++w->help_depth;
                    p.run_task(*w, b);
                    --w->help_depth;
                    idle_rounds = 0;
                    continue;
                }
                if (moved) {
                    idle_rounds = 0;
                    continue;
                }
            }
        }
        // Nothing hidden while we wait (local_queue.hpp, step 4). A waiter is
        // not counted as idle: it steals in the loop above, and its failed
        // steals ask the victims to publish (step 3), which is enough for it.
        if (idle_rounds == 0 && w != nullptr) w->owner->publish_local(*w);
        if (idle_rounds < wait_spin_rounds) {
            ++idle_rounds;
            for (int i = 0; i < 16; ++i) cpu_relax();
            continue;
        }
        if (idle_rounds < wait_yield_rounds) {
            ++idle_rounds;
            std::this_thread::yield();
            continue;
        }
        // Sleep: set the waiter bit, re-check, then wait for the word to change.
        std::uint32_t seen = target.word->fetch_or(1U, seq_cst) | 1U;
        if (target.done(target.context)) break;
        // Only what this waiter could take counts: another worker's deque
        // (the injection queue and its own older entries are for others).
        if (w != nullptr && w->help_depth < max_help_depth && w->owner->others_have_work(*w)) {
            idle_rounds = 0;
            continue;
        }
        futex_wait(*target.word, seen);
        idle_rounds = wait_spin_rounds;  // woken: look once more, then sleep again
    }
}

}  // namespace detail
}  // namespace tinyrt
