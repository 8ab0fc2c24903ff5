// The worker loop, the search, parking and shutdown of tinyrt::pool. The
// protocols are described where their state lives: parking.hpp (park and
// notify), pool.hpp (shutdown), task_group.hpp (bounded helping, children
// from outside the pool). This comment is the one home of the helping rule;
// the other files point here.
//
// What a waiting worker may run (wait_until, below). A task that a worker
// runs while it waits in frame F sits on top of F on the same stack, so F
// cannot return before that task does. If that task (or anything it runs in
// turn) waits for F's task to finish, both wait forever. "Run anything you
// can find, to some depth" allows exactly that: a waiter could take from the
// injection queue a task that joins the waiter's own task, and at the depth
// limit sleep although the task it needs sits unstarted in a queue. So a
// waiting worker runs only:
//
//   1. Its own deque's entries at or above the wait's mark: they were pushed
//      after the wait's frame started, by that frame or its descendants
//      (task_group.hpp, "Bounded stack"). join() takes the mark at the join,
//      so it runs only what its helped tasks leave behind. A task_group
//      takes its mark on the creating thread's deque whatever pool the group
//      belongs to (a group of pool A created on a worker of pool B marks B's
//      deque), so a waiter never runs an older entry of its own deque.
//   2. Fork-join children (task_group children, a kind flag in the block,
//      task.hpp) that are not its own, to a nesting depth of 32: stolen from
//      other workers' deques of its pool, or tickets of children spawned
//      into its pool from outside (pool.hpp, "Where work goes"). A fork-join
//      child waits only for its own descendants (its groups), which are
//      below it in the task tree, not for the frames it was stacked on.
//      Stealing takes the top entry, which may be a pool.spawn task: the
//      waiter does not run it but moves it to the injection queue (public,
//      counted for parking, notified), where a worker in its loop runs it.
//      It is neither lost nor hidden, and moving it is progress (the
//      victim's deque shrinks), so this cannot spin.
//   3. Never the injection queue: it holds pool.spawn tasks from outside, and
//      a waiter could not put back one it may not run without taking it again.
//   4. join() of a task that nobody has started runs it inline (claiming it
//      through the started bit of its handle state; its queue entry is
//      skipped when dequeued), on a worker of any pool. Running the awaited
//      task itself is always safe, and needs no helping depth: at
//      max_help_depth the waiter still claims its own task. A worker of
//      another pool runs it as a guest (worker.hpp, guest_scope): its
//      tls_worker stays its own, so to the task's pool it is an outside
//      thread, and the task's spawns and task_groups go to that pool (its
//      injection queue, or rule 5's lists and tickets), never onto the
//      guest's own deque, where its own pool's workers would run them. So a
//      task of pool A that joins a task of pool B that joins a new task of A
//      progresses although every worker of A waits. If the task started
//      elsewhere, the joiner helps by 1-3 (and, waiting on a group, by 5).
//   5. A task_group's own children spawned from outside its pool sit in the
//      group's list as well as in the pool's tickets (task_group.hpp): its
//      waiter claims and runs them at any depth (they are what it waits for,
//      like 4; their own groups are the next level of the same recursion),
//      as a guest when it is a worker of another pool. A waiter that is no
//      pool's worker only retires them, like join() off every pool never
//      runs a task: the pool's workers run them, from their loop or
//      waiting (2). So a group created on a worker of B for pool A finishes
//      even when every worker of A waits, and a child spawned from outside
//      into a group whose owner is A's only worker reaches that owner.
//
// The waiter sleeps only when its target's own work is done (5), and no
// other worker's deque and no ticket looks non-empty (or it is at the depth
// limit): the injection queue and its own older entries are for other
// workers, which were notified when that work was published. A sleeping
// waiter is not woken for new tickets: none of them needs it (each is also
// its group's waiter's, rule 5), and an idle worker is notified for each.
//
// Guests. Rules 4 and 5 let a worker of another pool run a task of this
// one; shutdown (pool.hpp, step 3) must then not conclude that the pool is
// quiescent while that task runs, and the guest must never touch a pool that
// is already gone. So:
//   a. the guest claims the task with a guest mark (handle_state::
//      claim_as_guest, outside_child::guest). Having won, the task's queue
//      entry (or ticket) is still pending, which keeps the pool from
//      terminating;
//   b. it counts itself in guests_ (guest_scope), then marks the claim
//      registered (release);
//   c. a worker of the pool that dequeues the entry and loses the claim to a
//      guest waits for that mark (acquire) before it goes on, so its later
//      park reads a count that includes the guest;
//   d. the last parker reads guests_ before its re-check of the queues: a
//      guest's own spawns are queued before it leaves, so "no guest" means
//      they are seen too;
//   e. the guest leaves under the sleeper lock (idle_set::notify_all_if): a
//      worker that then concludes the pool is quiescent takes that lock
//      before it exits, so the pool outlives the guest's last access; the
//      last guest of a pool that is shutting down wakes every sleeper, so
//      the last parker looks again.
// A guest's spawns into the pool are accepted during shutdown like a
// worker's (pool::check_accepting looks at tls_guest).
//
// Why every wait progresses: what it waits for is run by the waiter itself
// (1, 4, 5) or has been started by another thread, except children of a
// group whose waiter is no pool's worker, which wait for the pool's workers
// like any task spawned from outside.
//
// What still deadlocks (documented in join_handle.hpp and task_group.hpp): a
// cycle of joins; a fork-join child that joins a pool.spawn task which in
// turn waits for a frame the child may have been stacked on; and waits
// outside tinyrt (a latch, a mutex, an event loop) on work that only the
// blocked thread, or waiting workers, could run: a pool.spawn task in the
// injection queue while every worker waits in a join or a group.
#include "tinyrt/sched/pool.hpp"

#include <cstdio>
#include <thread>

#include "tinyrt/detail/cpu.hpp"
#include "tinyrt/detail/fault.hpp"

namespace tinyrt::detail {

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

sched_core::sched_core(pool_options options) : idle_(worker_count(options)) {
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

sched_core::~sched_core() {
    detail::worker* self = detail::tls_worker;
    if (self != nullptr && self->owner == this) {
        detail::fatal(
            "tinyrt::pool destroyed from one of its own workers (it would wait for itself)");
    }
    if (detail::tls_guest == this) {
        detail::fatal(
            "tinyrt::pool destroyed from one of its own tasks, run by a worker of another pool "
            "(shutdown waits for that task: it would wait for itself)");
    }
    stopping_.store(true, detail::seq_cst);     // shutdown step 1
    idle_.notify_all();                         // step 2
    for (auto& w : workers_) w->thread.join();  // steps 3-4
}

guest_scope::guest_scope(sched_core& p) noexcept : pool_(p), saved_(tls_guest) {
    // After a won claim, before its registered mark: the worker that loses
    // that claim waits for the mark, so it reads this count afterwards, and
    // shutdown step 3 cannot miss this guest.
    p.guests_.fetch_add(1, seq_cst);
    tls_guest = &p;
}

guest_scope::~guest_scope() {
    tls_guest = saved_;
    sched_core& p = pool_;
    // Everything this guest spawned into the pool is queued and counted
    // before this decrement, which the last parker reads before its re-check.
    // The decrement is under the sleeper lock: a parker that reads zero and
    // concludes the pool is quiescent takes that lock before it exits, so
    // the pool cannot be destroyed before this returns. The last guest of a
    // pool that is shutting down wakes every sleeper: the last parker may
    // have seen this guest and gone to sleep. Either ~pool()'s own
    // notify_all (after it set stopping_) finds that parker on the stack, or
    // the parker announced after it, and then this lock, taken after the
    // parker's, sees stopping_ set.
    p.idle_.notify_all_if([&p]() noexcept {
        return p.guests_.fetch_sub(1, seq_cst) == 1 && p.stopping_.load(seq_cst);
    });
}

pool_stats sched_core::stats() const {
    pool_stats s;
    s.workers.reserve(workers_.size());
    for (const auto& w : workers_) s.workers.push_back(w->counters.snapshot());
    // a counter; no data is published through it
    s.external_spawns = external_spawns_.load(detail::relaxed);
    return s;
}

void sched_core::inject(detail::task_block* b) {
    // test-only fault: the task is lost
    if (TINYRT_FAULT("pool_drop")) return;
    external_spawns_.fetch_add(1, detail::relaxed);  // statistics only
    enqueue_injected(b);
}

void sched_core::submit_from_outside(detail::task_block* b) noexcept {
    external_spawns_.fetch_add(1, detail::relaxed);  // statistics only
    from_outside_.push(b, "tinyrt::task_group::spawn");
    idle_.notify_one();
}

detail::task_block* sched_core::take_from_outside() noexcept {
    return from_outside_.try_pop();
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

void sched_core::enqueue_injected(detail::task_block* b) {
    injection_.push(b, "tinyrt::pool::spawn");
    idle_.notify_one();
}

detail::task_block* sched_core::take_injected() noexcept {
    return injection_.try_pop();
}

detail::task_block* sched_core::steal_round(detail::worker& w) noexcept {
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

detail::task_block* sched_core::find_foreign(detail::worker& w) noexcept {
    if (detail::task_block* b = take_injected()) return b;
    if (detail::task_block* b = take_from_outside()) return b;
    return steal_round(w);
}

detail::task_block* sched_core::steal_for_waiter(detail::worker& w, bool& moved) noexcept {
    detail::task_block* b = steal_round(w);
    if (b == nullptr) return take_from_outside();  // rule 2: fork-join tickets
    if (b->kind == detail::task_kind::fork_join) return b;
    // A pool.spawn task may wait (join) for the frame this worker waits in,
    // so it must not run on top of it. It is not lost or hidden either: the
    // injection queue is public, counted for parking, and notified.
    enqueue_injected(b);
    moved = true;
    return nullptr;
}

bool sched_core::others_have_work(const detail::worker& self) const noexcept {
    if (from_outside_.looks_non_empty()) return true;
    for (const auto& w : workers_) {
        if (w.get() != &self && w->queue.looks_non_empty()) return true;
    }
    return false;
}

bool sched_core::has_visible_work() const noexcept {
    if (injection_.looks_non_empty()) return true;
    if (from_outside_.looks_non_empty()) return true;
    for (const auto& w : workers_) {
        if (w->queue.looks_non_empty()) return true;
    }
    return false;
}

detail::task_block* sched_core::search(detail::worker& w, bool counted) noexcept {
    if (!counted) counted = idle_.begin_search();
    detail::task_block* b = nullptr;
    for (int round = 0; round < search_rounds && b == nullptr; ++round) {
        b = find_foreign(w);
        if (b == nullptr) detail::cpu_relax();
    }
    if (counted) idle_.end_search(b != nullptr);
    return b;
}

sched_core::park_result sched_core::park(detail::worker& w) {
    const unsigned before = idle_.announce(w.index);  // park step 1
    detail::asymmetric_heavy_fence();                 // step 2
    // Shutdown step 3 reads the guests before the queues: a guest's spawns
    // are queued before it leaves, so "no guest" here means they are seen.
    const bool no_guests = guests_.load(detail::seq_cst) == 0;
    if (has_visible_work()) {  // step 3
        return idle_.cancel(w.index) ? park_result::found_work_counted
                                     : park_result::found_work;  // step 4
    }
    if (terminated_.load(detail::seq_cst) ||
        (stopping_.load(detail::seq_cst) && before + 1 == workers_.size() && no_guests)) {
        // Shutdown step 3: every worker is parked and nothing is queued.
        terminated_.store(true, detail::seq_cst);
        bool rung = idle_.cancel(w.index);
        (void)rung;
        idle_.notify_all();
        return park_result::exit;
    }
    w.counters.parks.add();
    w.state.set(worker_activity::parked);
    idle_.sleep(w.index);  // step 5
    w.state.set(worker_activity::searching);
    w.counters.wakeups.add();
    return park_result::rung;
}

void sched_core::worker_main(detail::worker& w) {
    detail::tls_worker = &w;
    detail::tls_block_cache = &w.cache;
    w.state.set(worker_activity::searching);
    bool counted_searcher = false;  // woken by a notifier, which counted us as searching
    bool idle = true;               // counted in idle_'s idle workers (all start idle)
    for (;;) {
        detail::task_block* b = nullptr;
        if (++w.tick == 61) {  // fairness: outside work is not starved by a deep local tree
            w.tick = 0;
            b = take_injected();
            if (b == nullptr) b = take_from_outside();
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
            w.state.set(worker_activity::running, b);
            (void)TINYRT_FAULT("worker_hang");  // test-only: when it fires, the worker stops here
            run_task(w, b);
            w.state.set(worker_activity::searching);
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
    w.state.set(worker_activity::outside);
    detail::tls_block_cache = nullptr;
    detail::tls_worker = nullptr;
}

namespace {

// A task a waiting worker runs (rules 1, 2): reported as running, then the
// wait's word again.
void run_while_waiting(sched_core& p, worker& w, task_block* b, std::uintptr_t waiting) noexcept {
    w.state.set(worker_activity::running, b);
    p.run_task(w, b);
    w.state.restore(waiting);
}

}  // namespace

void wait_until(const wait_target& target) noexcept {
    worker* w = tls_worker;
    // What the worker did before this wait (running its task), restored at
    // the end; meanwhile waiting, spinning or blocked, with the same task.
    const std::uintptr_t before = w != nullptr ? w->state.raw() : 0;
    const std::uintptr_t waiting = (before & ~worker_state::activity_mask) |
                                   static_cast<std::uintptr_t>(worker_activity::waiting);
    if (w != nullptr) w->state.restore(waiting);
    unsigned idle_rounds = 0;
    while (!target.done(target.context)) {
        if (target.help != nullptr && target.help(target.context)) {  // rule 5
            if (w != nullptr) w->state.restore(waiting);
            idle_rounds = 0;
            continue;
        }
        if (w != nullptr) {
            sched_core& p = *w->owner;
            task_block* b = nullptr;
            if (w->queue.logical_bottom() > target.own_mark) b = p.pop_local(*w);  // rule 1
            if (b != nullptr) {
                run_while_waiting(p, *w, b, waiting);
                idle_rounds = 0;
                continue;
            }
            if (w->help_depth < max_help_depth) {  // rule 2
                bool moved = false;
                b = p.steal_for_waiter(*w, moved);
                if (b != nullptr) {
                    ++w->help_depth;
                    run_while_waiting(p, *w, b, waiting);
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
        if (idle_rounds == 0 && w != nullptr) w->state.set_keeping_task(worker_activity::spinning);
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
        // Work given to the target itself changes the word after it is
        // published (wait_target::help), so after the fetch_or above either
        // this call sees it or the word no longer equals `seen`.
        if (target.help != nullptr && target.help(target.context)) {
            idle_rounds = 0;
            continue;
        }
        // Only what this waiter could take counts: another worker's deque or
        // a ticket (the injection queue and its own older entries are for
        // others).
        if (w != nullptr && w->help_depth < max_help_depth && w->owner->others_have_work(*w)) {
            idle_rounds = 0;
            continue;
        }
        if (w != nullptr) w->state.set_keeping_task(worker_activity::blocked);
        futex_wait(*target.word, seen);
        if (w != nullptr) w->state.restore(waiting);
        idle_rounds = wait_spin_rounds;  // woken: look once more, then sleep again
    }
    if (w != nullptr) w->state.restore(before);
}

}  // namespace tinyrt::detail
