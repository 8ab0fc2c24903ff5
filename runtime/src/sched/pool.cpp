// The worker loop, the search and parking of tinyrt::pool (its waits are in
// wait.cpp, its construction and shutdown in pool_setup.cpp). The protocols are described where
// their state lives: parking.hpp (park and notify), pool.hpp (shutdown), local_queue.hpp
// (publication), detail/outside_children.hpp (children from outside the
// pool). What a waiting worker may run, the numbered rules that the code
// below cites ("rule 2"), and the guest protocol (steps a-e) are in
// runtime/DESIGN.md, "What a waiting worker may run (the helping rule)" and
// "Guests": the one home of the helping rule.
#include "tinyrt/sched/pool.hpp"

#include <cstdio>

#include "tinyrt/detail/cpu.hpp"
#include "tinyrt/detail/fault.hpp"
#include "tinyrt/detail/monotonic_clock.hpp"
#include "tinyrt/sched/detail/trace_sites.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt::detail {

namespace {

// How many times a worker sweeps all queues before it parks. Each sweep is
// cheap (a few loads per victim); a short search catches work that a busy
// worker is about to push without paying for a park and a wake-up.
constexpr int search_rounds = 64;

// After those sweeps a counted searcher lingers this long before it parks,
// so each worker parks at most once per linger_time (parking.hpp, "Why a
// counted searcher lingers"), yielding its core between looks. It asks busy
// workers to publish at most once per linger_request_interval. Nanoseconds
// of monotonic_ns().
constexpr std::int64_t linger_time = 1'000'000;
constexpr std::int64_t linger_request_interval = 50'000;

}  // namespace

guest_scope::guest_scope(sched_core& p) noexcept : pool_(p), saved_(tls_guest) {
    // After a won claim, before its registered mark: the worker that loses
    // that claim waits for the mark, so it reads this count afterwards, and
    // shutdown step 3 cannot miss this guest.
    p.guests_.fetch_add(1, seq_cst);
    tls_guest = &p;
}

// Out of line: ~guest_scope would otherwise carry a second copy of it.
[[gnu::noinline]] void sched_core::end_outside_spawn() noexcept {
    // A guest leaving (~guest_scope), or a spawn from outside whose job is
    // queued (admission). Everything it spawned into the pool is queued and
    // counted before this decrement, which the last parker reads before its
    // re-check. The decrement is under the sleeper lock: a parker that reads
    // zero and concludes the pool is quiescent takes that lock before it
    // exits, so the pool cannot be destroyed before this returns. The last
    // guest of a pool that is shutting down wakes every sleeper: the last
    // parker may have seen this guest and gone to sleep. Either ~pool()'s
    // own notify_all (after it set stopping_) finds that parker on the
    // stack, or the parker announced after it, and then this lock, taken
    // after the parker's, sees stopping_ set.
    idle_.notify_all_if([this]() noexcept {
        return guests_.fetch_sub(1, seq_cst) == 1 && stopping_.load(seq_cst);
    });
}

guest_scope::~guest_scope() {
    tls_guest = saved_;
    pool_.end_outside_spawn();
}

void sched_core::inject(detail::task_block* b) {
    // test-only fault: the task is lost
    if (TINYRT_FAULT("pool_drop")) return;
    external_spawns_.fetch_add(1, detail::relaxed);  // statistics only
    enqueue_injected(b);
}

namespace {

// A task taken from either queue, recorded on a traced thread: one copy for
// both, called only when a take succeeded (an empty look stays a call less).
[[gnu::noinline]] task_block* taken(task_block* b) noexcept {
    trace::inject_take(reinterpret_cast<std::uintptr_t>(b));
    return b;
}

}  // namespace

detail::task_block* sched_core::take_from_outside() noexcept {
    detail::task_block* b = from_outside_.try_pop();
    return b != nullptr ? taken(b) : nullptr;
}

// Out of line (inject and hand_spawn_to_loop would each copy it): next to
// the queue's own enqueue, a call is nothing.
[[gnu::noinline]] void sched_core::enqueue_injected(detail::task_block* b) {
    injection_.push(b, "tinyrt::pool::spawn");
    idle_.notify_one();
}

detail::task_block* sched_core::take_injected() noexcept {
    detail::task_block* b = injection_.try_pop();
    return b != nullptr ? taken(b) : nullptr;
}

// The timeline's work for task blocks is the recorder's (trace_sites.hpp):
// linked only into programs that make a recorder.
void sched_core::trace_spawn(detail::task_block* b, tinyrt::task_name name, bool to_thread) {
    trace_->pool_sites().spawn(*trace_, b, name.text(), name.line(),
                               to_thread ? trace::task_kind::to_thread : trace::task_kind::spawn);
}

void sched_core::trace_child_spawn(detail::task_header* b, tinyrt::task_name name) {
    trace_->pool_sites().spawn(*trace_, b, name.text(), name.line(), trace::task_kind::fork_join);
}

void sched_core::run_task_traced(detail::task_header* b) noexcept {
    // A claimed job records its own run (claimed_run.hpp); an untraced pool
    // records nothing, even on a thread traced for something else.
    if (b->kind != detail::task_kind::fork_join || trace_ == nullptr) return b->run(b);
    trace_->pool_sites().run(*trace_, b, trace::task_kind::fork_join, b->run);
}

void sched_core::run_claimed(detail::task_block* b,
                             void (*execute)(detail::task_block*) noexcept) noexcept {
    if (trace_ == nullptr) return execute(b);
    const auto kind = b->kind == detail::task_kind::spawned ? trace::task_kind::spawn
                                                            : trace::task_kind::fork_join;
    // The claim's owner keeps the block alive until execute returns.
    trace_->pool_sites().run_claimed(*trace_, b, kind, execute);
}

void run_claimed_traced(task_block* b, void (*execute)(task_block*) noexcept) noexcept {
    tls_worker->owner->run_claimed(b, execute);
}

detail::task_header* sched_core::steal_round(detail::worker& w) noexcept {
    const std::size_t n = workers_.size();
    if (n < 2) return nullptr;
    const std::size_t start = static_cast<std::size_t>(w.next_random() % n);
    for (int attempt = 0; attempt < 4; ++attempt) {
        bool contended = false;
        for (std::size_t k = 0; k < n; ++k) {
            detail::worker& victim = *workers_[(start + k) % n];
            if (&victim == &w) continue;
            w.counters.steal_attempts.add();
            detail::task_header* b = nullptr;
            switch (victim.queue.steal(b)) {
                case detail::local_queue::deque::steal_result::success:
                    w.counters.tasks_stolen.add();
                    trace::steal(reinterpret_cast<std::uintptr_t>(b), victim.index);
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

detail::task_header* sched_core::find_foreign(detail::worker& w) noexcept {
    if (detail::task_block* b = take_injected()) return b;
    if (detail::task_block* b = take_from_outside()) return b;
    return steal_round(w);
}

void sched_core::hand_spawn_to_loop(detail::task_header* b) noexcept {
    enqueue_injected(detail::block_of(b));  // only blocks hold pool.spawn tasks
}

bool sched_core::has_visible_work() const noexcept {
    if (injection_.looks_non_empty()) return true;
    if (from_outside_.looks_non_empty()) return true;
    for (const auto& w : workers_) {
        if (w->queue.looks_non_empty()) return true;
    }
    return false;
}

detail::task_header* sched_core::search(detail::worker& w, bool counted) noexcept {
    if (!counted) counted = idle_.begin_search();
    detail::task_header* b = nullptr;
    for (int round = 0; round < search_rounds && b == nullptr; ++round) {
        b = find_foreign(w);
        if (b == nullptr) detail::cpu_relax();
    }
    // Counted searchers linger before parking (parking.hpp), but not once
    // shutdown began: it waits for every worker to park. relaxed: a hint,
    // a stale answer only lingers once more; park() reads it seq_cst.
    if (b == nullptr && counted && !stopping_.load(detail::relaxed)) b = linger(w);
    if (counted) idle_.end_search(b != nullptr);
    return b;
}

detail::task_header* sched_core::linger(detail::worker& w) noexcept {
    const std::int64_t start = detail::monotonic_ns();
    std::int64_t next_request = start + linger_request_interval;
    for (;;) {
        detail::yield_thread();
        const std::int64_t now = detail::monotonic_ns();
        // Public work is taken at once; a steal request (which makes a busy
        // owner publish: local_queue.hpp, step 3) only every interval, so
        // that a lingering worker does not take every tiny task its peer
        // spawns and then joins at once.
        const bool ask = now >= next_request;
        if (ask || has_visible_work()) {
            if (detail::task_header* b = find_foreign(w)) return b;
            if (ask) next_request = now + linger_request_interval;
        }
        if (now - start >= linger_time) return nullptr;
    }
}

sched_core::park_result sched_core::park(detail::worker& w) {
    const unsigned before = idle_.announce(w.index);  // park step 1
    idle_.park_fence();                               // step 2
    // Shutdown step 3 reads the guests and stopping_ before the queues: a
    // guest's spawns are queued before it leaves, and every spawn from
    // outside is queued before ~pool sets stopping_, so "no guest" and
    // "stopping" here mean the re-check below sees them. (Read after the
    // re-check, stopping_ could come from a ~pool whose last spawns the
    // re-check missed: those tasks would never run.)
    const bool no_guests = guests_.load(detail::seq_cst) == 0;
    const bool stopping = stopping_.load(detail::seq_cst);
    if (has_visible_work()) {  // step 3
        return idle_.cancel(w.index) ? park_result::found_work_counted
                                     : park_result::found_work;  // step 4
    }
    if (terminated_.load(detail::seq_cst) ||
        (stopping && before + 1 == workers_.size() && no_guests)) {
        // Shutdown step 3: every worker is parked and nothing is queued.
        terminated_.store(true, detail::seq_cst);
        bool rung = idle_.cancel(w.index);
        (void)rung;
        idle_.notify_all();
        return park_result::exit;
    }
    w.counters.parks.add();
    w.state.set(worker_activity::parked);
    trace::park();
    idle_.sleep(w.index);  // step 5
    trace::unpark();
    w.state.set(worker_activity::searching);
    w.counters.wakeups.add();
    return park_result::rung;
}

void sched_core::worker_main(detail::worker& w) {
    auto traced = trace_ != nullptr ? trace_->pool_sites().attach_worker(*trace_, trace_name_,
                                                                         w.index, trace_group_)
                                    : trace::thread_attachment{};  // lives until the worker returns
    detail::tls_worker = &w;
    detail::tls_block_cache = &w.cache;
    w.state.set(worker_activity::searching);
    bool counted_searcher = false;  // woken by a notifier, which counted us as searching
    bool idle = true;               // counted in idle_'s idle workers (all start idle)
    for (;;) {
        detail::task_header* b = nullptr;
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

}  // namespace tinyrt::detail
