// The event loop's machinery (internal): what tinyrt::event_loop runs on, and
// the one interface its awaiters and combinators use (park and wake, roots,
// timers, fd waits). Applications see only event_loop's public members.
//
// Parts (all owned by the loop thread unless marked):
//   ready queue  intrusive FIFO of task_nodes (task_node::next); pushing and
//                popping are two pointer writes: no lock, no system call
//   timers       detail::timer_queue (sorted run + heap, lazy cancel)
//   reactor      one epoll instance: fd readiness for wait_ready (io_wait.hpp)
//                and an eventfd that other threads write to wake the loop
//   posted queue the only part other threads touch: a lock-free LIFO of
//                detail::posted_work (Treiber stack), drained whole
//
// One iteration (step):
//   1. take everything posted by other threads, in posting order, and run it
//   2. move every timer whose deadline has passed to the ready queue
//   3. if nothing is ready: sleep in epoll_wait until the first deadline, an
//      fd event or a post (the wake-up protocol below); then go to 1. If
//      nothing could ever wake it (no timer, no fd wait, no to_thread job
//      out, nothing posted, no loop_keep_alive held by a thread that may
//      still post) every task waits on another task or a mutex: a
//      deadlock, reported with a message instead of sleeping forever
//   4. resume every task that was ready at the start of this step (tasks made
//      ready meanwhile wait for the next step, so timers and I/O are not
//      starved by tasks that keep yielding)
//
// Wake-up protocol (post from another thread vs the loop going to sleep),
// in coro/detail/loop_wakeup.hpp with its correctness argument; every
// operation is seq_cst, and both sides write-then-read, the Dekker pattern
// (DESIGN.md, "Wake-up protocol"):
//   loop:   S1 sleeping_ = true      S2 read posted_   (non-empty: do not sleep)
//           S3 epoll_wait            S4 sleeping_ = false, drain the eventfd
//   poster: P1 push onto posted_     P2 read sleeping_ (true: write the eventfd,
//                                       once: wake_pending_ dedups writes)
// A post is never left waiting for an unrelated event.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinyrt/coro/detail/loop_probe.hpp"
#include "tinyrt/coro/detail/loop_wakeup.hpp"
#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/coro/detail/timer_queue.hpp"
#include "tinyrt/coro/loop_stats.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/trace/current.hpp"

namespace tinyrt::detail {

// An item another thread hands to the loop; intrusive, so posting from the
// scheduler (to_thread) allocates nothing. `run` executes on the loop thread;
// `drop`, if set, is called instead for an item the loop is destroyed
// without running (posted after its last run), so that it can free itself.
struct posted_work {
    posted_work* next = nullptr;
    void (*run)(posted_work* self) noexcept = nullptr;
    void (*drop)(posted_work* self) noexcept = nullptr;
};

struct io_waiter;

// What a direction's place in an fd slot holds when no task waits there
// (io_wait.cpp says what each means), told apart from a parked waiter by
// their addresses. Defined in loop_core.cpp with the fd event handler that
// every loop links; the registration side (io_wait.cpp) is linked only by
// programs that wait on an fd.
extern io_waiter io_edge_mark;
extern io_waiter io_hangup_mark;
inline bool is_io_waiter(const io_waiter* place) noexcept {
    return place != nullptr && place != &io_edge_mark && place != &io_hangup_mark;
}

// Suspends in await_suspend when a cancellation is reported there: only
// without exceptions, where the loop then destroys the chain instead of
// resuming it (an exception cannot carry the cancellation up).
inline constexpr bool suspend_to_cancel = !TINYRT_EXCEPTIONS;

class loop_core;
class loop_inspector;

// The loop running on this thread (set by run_until_done), or null.
// constinit: reaching it is one thread-pointer-relative load, no TLS
// wrapper call, from every file.
inline constinit thread_local loop_core* tls_running_loop = nullptr;
// Its id() (0 when none): what a task_handle checks on every await.
inline constinit thread_local std::uint64_t tls_running_loop_id = 0;

// Everything below is loop-thread only unless marked.
class loop_core {
public:
    loop_core(const loop_core&) = delete;
    loop_core& operator=(const loop_core&) = delete;

    // The core of the loop running on the calling thread, or nullptr.
    static loop_core* running() noexcept { return tls_running_loop; }

    std::uint64_t id() const noexcept { return id_; }

    // Runs steps until `main` is done, then cancels every root still
    // unfinished and runs steps until they have all finished (asyncio.run's
    // shutdown), so no frame outlives the call. During that shutdown every
    // suspension is cancelled again (park), so a task that caught its
    // cancellation and awaits once more cannot keep run() from returning.
    // `main_loc` names `main` in the timeline (set_trace).
    void run_until_done(task_node* main, tinyrt::source_location main_loc = {});

    // Makes the frame of `promise` (a fresh, never started task) a root:
    // its node is the promise itself (task_node.hpp), ready now. A root
    // with no listener (create_task, run) is listed, so that run_until_done
    // can cancel it at the end; one with a listener is owned by an awaiter
    // that never resumes before it finishes (gather, when_any, wait_for),
    // and is reached through that awaiter. The caller owns the node until it
    // calls task_node::release().
    task_node* spawn(promise_base* promise, completion_listener* listener, std::uint32_t tag = 0);
    void schedule(task_node* node) noexcept;
    task_node* current_task() const noexcept { return current_; }
    void set_current_task(task_node* node) noexcept { current_ = node; }

    // The current root parks at `hook`, to be resumed at `where`. Returns
    // false, consuming the request, when a cancellation is pending (always,
    // once run_until_done is shutting down): the awaiter must then report
    // cancelled_error instead of waiting, or, if it waits on other roots,
    // cancel them, wait, and then report cancelled_error (without exceptions
    // the node is scheduled for destruction instead).
    bool park(std::coroutine_handle<> where, cancel_hook* hook) noexcept;
    // The event a parked root waited for has happened: it is ready again.
    void wake(task_node* node) noexcept {
        node->hook = nullptr;
        schedule(node);
    }
    // A hook's cancel() calls this after unregistering: the request counts
    // as delivered and the root becomes ready.
    void deliver_cancel(task_node* node) noexcept;

    void add_timer(timer_entry* t, std::int64_t deadline_ns);
    void cancel_timer(timer_entry* t) noexcept;

    // sleep_for parks its root at its own timer: the hook is the entry's
    // address tagged with 1 (timer_entry), which task_node::cancel tells
    // from a real hook and hands to cancel_sleep.
    static cancel_hook* sleep_hook(timer_entry* t) noexcept {
        return reinterpret_cast<cancel_hook*>(reinterpret_cast<std::uintptr_t>(t) | 1);
    }
    static bool is_sleep_hook(const cancel_hook* h) noexcept {
        return (reinterpret_cast<std::uintptr_t>(h) & 1) != 0;
    }
    // The sleeping root is cancelled: its timer leaves the queue, the
    // entry's spent deadline says "cancelled" (sleep.hpp), the root is ready.
    void cancel_sleep(cancel_hook* tagged) noexcept;

    void add_io_waiter(io_waiter* w);
    void remove_io_waiter(io_waiter* w) noexcept;
    void forget_fd(int fd) noexcept;

    // A root finished: one root fewer, and off the list if it was listed.
    void root_finished(task_node* node) noexcept {
        --roots_;
        if (!node->has(task_listed)) return;
        node->flags &= ~task_listed;
        task_node* last = listed_.back();
        listed_[node->tag] = last;
        last->tag = node->tag;
        listed_.pop_back();
    }

    // Work outside the loop (to_thread) that will post back: counted so that
    // the loop can tell "waiting for it" from "deadlocked".
    void external_begin() noexcept { ++external_waits_; }
    void external_end() noexcept { --external_waits_; }

    // Thread-safe; see event_loop::post.
    void post(posted_work* work) noexcept;
    // Thread-safe: a thread that may still post (event_loop::keep_alive).
    void hold_keep_alive() noexcept;
    void release_keep_alive();

    const loop_stats& stats() const noexcept { return stats_; }

    // Timeline (event_loop::set_trace): the recorder, or null when off.
    void set_trace(trace::recorder* rec) noexcept { trace_ = rec; }
    trace::recorder* tracer() const noexcept { return trace_; }

    // Steady clock in nanoseconds, the time base of every deadline.
    static std::int64_t now_ns() noexcept;

protected:
    loop_core();
    ~loop_core();

private:
    friend class loop_inspector;  // reports: coro/detail/introspect.hpp

    // The epoll data of the eventfd (fd events carry their fd).
    static constexpr std::uint64_t wake_token = ~std::uint64_t{0};

    struct fd_slot {
        io_waiter* reader = nullptr;
        io_waiter* writer = nullptr;
        bool in_epoll = false;
    };

    void step();
    void drain_posted();
    void fire_timers();
    void run_ready_batch();
    void wait_for_events(bool may_block);
    void handle_fd_event(int fd, std::uint32_t events);
    void rearm(int fd) noexcept;
    void destroy_cancelled(task_node* node) noexcept;
    void push_and_wake(posted_work* work) noexcept;
    void cancel_listed() noexcept;
    void mirror_probe() noexcept;  // copies the counts into probe_

    task_node* ready_head_ = nullptr;
    task_node* ready_tail_ = nullptr;
    task_node* current_ = nullptr;
    std::size_t roots_ = 0;           // unfinished roots, listed or owned
    std::vector<task_node*> listed_;  // unfinished roots without a listener (spawn)
    timer_queue timers_;
    std::vector<fd_slot> fds_;
    std::size_t io_waiting_ = 0;
    std::size_t external_waits_ = 0;
    std::uint64_t id_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    bool shutting_down_ = false;        // main has finished: every park is cancelled
    trace::recorder* trace_ = nullptr;  // set_trace; read by posting threads (post)
    loop_stats stats_;
    std::uint32_t probe_steps_ = 0;  // steps since start, modulo 2^32: when to mirror
    loop_probe probe_;               // what the loop does, for other threads (loop_probe.hpp)

    // Touched by other threads (see the wake-up protocol above): the posted
    // queue and the loop's sleeping and wake-pending flags. no_unique_address
    // lets the next member use its tail padding, as when the three were
    // members of loop_core itself.
    [[no_unique_address]] basic_loop_wakeup<posted_work> wakeup_;
    // Threads inside post() right now. post() still touches the loop (the
    // flags, the eventfd) after its item is visible, so the destructor waits
    // for this to drop to zero before closing the eventfd: a to_thread worker
    // whose item the loop already ran may still be in its write() call.
    detail::atomic<int> posters_{0};
    // loop_keep_alive objects alive (any thread releases one). 32 bits: the
    // destructor sleeps on it as a futex word.
    detail::atomic<std::uint32_t> keep_alives_{0};
    // Items posted and not yet run (or dropped), for reports.
    detail::atomic<std::size_t> posted_pending_{0};
};

// The running loop's core, or a fatal error naming `what` outside a task
// run by a loop.
loop_core& loop_for(const char* what) noexcept;

}  // namespace tinyrt::detail
