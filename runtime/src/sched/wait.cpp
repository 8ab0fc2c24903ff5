// The blocking waits of tinyrt::pool: wait_until, which join_handle::join
// (join.cpp), task_group::wait and fork_join's wait use, and the waiting
// worker's side of the search. In its own object: a program that never
// waits for a task (it only spawns, or only awaits to_thread) does not link
// it. What a waiting worker may run, the numbered rules that the code below
// cites ("rule 2"), is in runtime/DESIGN.md, "What a waiting worker may run
// (the helping rule)": the one home of the helping rule.
#include "tinyrt/detail/cpu.hpp"
#include "tinyrt/sched/pool.hpp"

namespace tinyrt::detail {

namespace {

// Tasks taken from other queues while waiting may nest this deep (DESIGN.md,
// "What a waiting worker may run", rule 2).
constexpr unsigned max_help_depth = 32;

// Waits spin, then yield, then sleep on their futex word.
constexpr unsigned wait_spin_rounds = 64;
constexpr unsigned wait_yield_rounds = 96;

}  // namespace

detail::task_header* sched_core::steal_for_waiter(detail::worker& w, bool& moved) noexcept {
    detail::task_header* b = steal_round(w);
    // Never a ticket of a child spawned from outside (rule 3): such a child
    // may join the task this worker waits in.
    if (b == nullptr) return nullptr;
    if (b->kind == detail::task_kind::fork_join) return b;
    // A pool.spawn task may wait (join) for the frame this worker waits in,
    // so it must not run on top of it. It is not lost or hidden either: the
    // injection queue is public, counted for parking, and notified.
    hand_spawn_to_loop(b);
    moved = true;
    return nullptr;
}

bool sched_core::others_have_work(const detail::worker& self) const noexcept {
    for (const auto& w : workers_) {
        if (w.get() != &self && w->queue.looks_non_empty()) return true;
    }
    return false;
}

namespace {

// A task a waiting worker runs (rules 1, 2): reported as running, then the
// wait's word again.
void run_while_waiting(sched_core& p, worker& w, task_header* b, std::uintptr_t waiting) noexcept {
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
            task_header* b = nullptr;
            bool spawn_moved = false;
            if (w->queue.logical_bottom() > target.own_mark)
                b = p.pop_for_waiter(*w, spawn_moved);  // rule 1
            if (b != nullptr) {
                run_while_waiting(p, *w, b, waiting);
                idle_rounds = 0;
                continue;
            }
            if (spawn_moved) {
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
            detail::yield_thread();
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
        // Only what this waiter could take counts: another worker's deque
        // (the injection queue, the tickets and its own older entries are
        // for others).
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
