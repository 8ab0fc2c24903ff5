// A worker's state word: what the worker is doing now, for a watchdog or a
// stress tool that reads it from another thread (detail/introspect.hpp).
//
// One word, one writer (the worker), one relaxed store per transition; no
// decision of the scheduler depends on it. Packed: the low 3 bits are the
// activity, the rest is the address of the task the worker runs (or waits
// in): its task_header, at least 8-byte aligned (a task block is cache-line
// aligned, a stack job pointer-aligned); 0 when it runs none. The address
// only identifies a task, nobody dereferences it.
//
// Values and transitions:
//   outside    the worker's thread has not entered its loop yet, or left it
//   searching  in the worker loop, between tasks: popping its own queue,
//              looking at the two queues from outside, stealing, spinning
//              between search rounds
//   parked     asleep in the idle set (parking.hpp), from its announce to
//              its wake-up
//   running    running a task taken by the worker loop or by a wait (task
//              set). A child the task runs on its own stack without a wait
//              (a task_group's own children popped by wait(), an unstarted
//              join() target) runs under its parent's word.
//   waiting    in a join() or task_group::wait() that had to block, looking
//              for work it may run (DESIGN.md, "What a waiting worker may
//              run"); task: the task that waits. A task it then runs is
//              running, and the word returns to waiting after it.
//   spinning   such a wait found nothing to run: spinning or yielding
//   blocked    such a wait sleeps on the awaited object's futex word
//
//   outside -> searching -> running -> searching -> parked -> searching ...
//   running -> waiting <-> spinning -> blocked -> spinning ... -> running
#pragma once

#include <cstdint>

#include "tinyrt/detail/atomic.hpp"

namespace tinyrt::detail {

struct task_header;

enum class worker_activity : std::uintptr_t {
    outside = 0,
    searching = 1,
    parked = 2,
    running = 3,
    waiting = 4,
    spinning = 5,
    blocked = 6,
};

const char* activity_name(worker_activity a) noexcept;

class worker_state {
public:
    static constexpr std::uintptr_t activity_mask = 7;

    // Owner only.
    void set(worker_activity a) noexcept {
        // A report for readers on other threads; nothing is published through it.
        word_.store(static_cast<std::uintptr_t>(a), relaxed);
    }
    void set(worker_activity a, const task_header* task) noexcept {
        // As above.
        word_.store(reinterpret_cast<std::uintptr_t>(task) | static_cast<std::uintptr_t>(a),
                    relaxed);
    }
    // Owner only: the word as last stored, to restore after a nested phase.
    std::uintptr_t raw() const noexcept {
        // single writer: it reads its own last store
        return word_.load(relaxed);
    }
    void restore(std::uintptr_t w) noexcept {
        // As in set().
        word_.store(w, relaxed);
    }
    // Owner only: the same task, another activity.
    void set_keeping_task(worker_activity a) noexcept {
        restore((raw() & ~activity_mask) | static_cast<std::uintptr_t>(a));
    }

    // Any thread: a recent value (no ordering with anything else).
    std::uintptr_t read() const noexcept {
        // a snapshot for a report
        return word_.load(relaxed);
    }
    static worker_activity activity(std::uintptr_t w) noexcept {
        return static_cast<worker_activity>(w & activity_mask);
    }
    static std::uintptr_t task(std::uintptr_t w) noexcept { return w & ~activity_mask; }

private:
    detail::atomic<std::uintptr_t> word_{0};
};

}  // namespace tinyrt::detail
