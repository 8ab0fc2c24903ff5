// tinyrt::event_loop: asyncio's event loop on one thread, for C++20 stackless
// coroutines.
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
// Wake-up protocol (post from another thread vs the loop going to sleep);
// every operation below is seq_cst, and both sides write-then-read, the
// Dekker pattern (DESIGN.md "Parking and lost wake-ups"):
//   loop:   S1 sleeping_ = true      S2 read posted_   (non-empty: do not sleep)
//           S3 epoll_wait            S4 sleeping_ = false, drain the eventfd
//   poster: P1 push onto posted_     P2 read sleeping_ (true: write the eventfd,
//                                       once: wake_pending_ dedups writes)
// In the single total order of seq_cst operations, either S1 precedes P2
// (the poster sees the loop asleep and writes the eventfd, which makes S3
// return) or P2 precedes S1, hence P1 precedes S2 and the loop sees the item
// and does not sleep. A post is never left waiting for an unrelated event.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "tinyrt/coro/task_node.hpp"
#include "tinyrt/coro/timer_queue.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

// What the loop did, for loop.stats() (counted on the loop thread).
struct loop_stats {
    std::uint64_t tasks_spawned = 0;  // roots given to the loop (run, create_task, gather...)
    std::uint64_t tasks_run = 0;      // resumptions taken from the ready queue
    std::uint64_t timers_set = 0;
    std::uint64_t timers_fired = 0;
    std::uint64_t timers_cancelled = 0;
    std::uint64_t wakeups = 0;   // returns from a blocking epoll_wait
    std::uint64_t posts = 0;     // items run from the cross-thread queue
    std::uint64_t io_waits = 0;  // wait_ready registrations
};

namespace detail {

// An item another thread hands to the loop; intrusive, so posting from the
// scheduler (to_thread) allocates nothing. `run` executes on the loop thread.
struct posted_work {
    posted_work* next = nullptr;
    void (*run)(posted_work* self) noexcept = nullptr;
};

// A coroutine parked in wait_ready (io_wait.hpp) on one fd and direction.
struct io_waiter : cancel_hook {
    task_node* node = nullptr;
    int fd = -1;
    std::uint32_t interest = 0;  // 1 readable, 2 writable (io_interest)
    bool cancelled = false;
};

// Suspends in await_suspend when a cancellation is reported there: only
// without exceptions, where the loop then destroys the chain instead of
// resuming it (an exception cannot carry the cancellation up).
inline constexpr bool suspend_to_cancel = !TINYRT_EXCEPTIONS;

}  // namespace detail

class loop_keep_alive;

class event_loop {
public:
    // Raises std::system_error if the kernel refuses an epoll instance or
    // an eventfd (EMFILE: no descriptors left), like any resource failure.
    event_loop();
    ~event_loop();
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;

    // The loop running on the calling thread, or nullptr outside one.
    static event_loop* current() noexcept;

    // Unique among all loops of the process, even one created at the address
    // of a destroyed one (handles use it to detect a foreign loop). Never 0.
    std::uint64_t id() const noexcept { return id_; }

    // Thread-safe: runs `fn` on the loop thread at its next step, waking the
    // loop if it sleeps. Allocates one small node (use the intrusive form in
    // hot paths). Functions posted after the loop has finished its last run
    // are dropped when the loop is destroyed -- never run on a dead loop.
    // If `fn` throws, the error is printed to stderr ("tinyrt: a function
    // posted to the loop failed: ...", as for a failed detached task) and the
    // loop goes on.
    //
    // A thread that will post later must hold a keep_alive() meanwhile: the
    // loop cannot see a thread that merely intends to post, and with no
    // timer, fd wait, to_thread job or keep-alive left it reports a deadlock.
    void post(std::function<void()> fn);
    void post(detail::posted_work* work) noexcept;

    // A promise that some thread may still post: while the returned object
    // (or a move of it) lives, "every task waits and nothing can wake one"
    // is not a deadlock; the loop sleeps until a post arrives. Take it on
    // the loop thread, before handing it to the thread that will post
    // (asyncio's loop keeps running while call_soon_threadsafe may still
    // come; here that promise is explicit). ~event_loop() waits until every
    // keep-alive is released.
    [[nodiscard]] loop_keep_alive keep_alive() noexcept;

    // Counters so far. Loop thread, or any thread once run() has returned.
    const loop_stats& stats() const noexcept { return stats_; }

    // ---- Used by tinyrt's awaiters and combinators; loop thread only. ----

    // Runs steps until `main` is done, then cancels every root still
    // unfinished and runs steps until they have all finished (asyncio.run's
    // shutdown), so no frame outlives the call. During that shutdown every
    // suspension is cancelled again (park), so a task that caught its
    // cancellation and awaits once more cannot keep run() from returning.
    void run_until_done(detail::task_node* main);

    // Allocates a root node for the frame of `promise` (a fresh, never
    // started task) and
    // makes it ready. The caller owns the node until it calls release_root.
    detail::task_node* spawn(detail::promise_base* promise, detail::completion_listener* listener,
                             std::uint32_t tag = 0);
    void schedule(detail::task_node* node) noexcept;
    detail::task_node* current_task() const noexcept { return current_; }
    void set_current_task(detail::task_node* node) noexcept { current_ = node; }

    // The current root parks at `hook`, to be resumed at `where`. Returns
    // false, consuming the request, when a cancellation is pending (always,
    // once run_until_done is shutting down): the awaiter must then report
    // cancelled_error instead of waiting, or, if it waits on other roots,
    // cancel them, wait, and then report cancelled_error (without exceptions
    // the node is scheduled for destruction instead).
    bool park(std::coroutine_handle<> where, detail::cancel_hook* hook) noexcept;
    // A hook's cancel() calls this after unregistering: the request counts
    // as delivered and the root becomes ready.
    void deliver_cancel(detail::task_node* node) noexcept;

    void add_timer(detail::timer_node* t, std::int64_t deadline_ns);
    void cancel_timer(detail::timer_node* t) noexcept;

    void add_io_waiter(detail::io_waiter* w);
    void remove_io_waiter(detail::io_waiter* w) noexcept;
    void forget_fd(int fd) noexcept;

    // Takes a finished root off the list of unfinished ones.
    void unlink_live(detail::task_node* node) noexcept;

    // Work outside the loop (to_thread) that will post back: counted so that
    // the loop can tell "waiting for it" from "deadlocked".
    void external_begin() noexcept { ++external_waits_; }
    void external_end() noexcept { --external_waits_; }

    // Steady clock in nanoseconds, the time base of every deadline.
    static std::int64_t now_ns() noexcept;

private:
    struct fd_slot {
        detail::io_waiter* reader = nullptr;
        detail::io_waiter* writer = nullptr;
        bool in_epoll = false;
    };

    void step();
    void drain_posted();
    void fire_timers();
    void run_ready_batch();
    void wait_for_events(bool may_block);
    void handle_fd_event(int fd, std::uint32_t events);
    void rearm(int fd) noexcept;
    void destroy_cancelled(detail::task_node* node) noexcept;
    void push_and_wake(detail::posted_work* work) noexcept;
    void release_keep_alive();
    void cancel_all_live() noexcept;

    detail::task_node* ready_head_ = nullptr;
    detail::task_node* ready_tail_ = nullptr;
    detail::task_node* current_ = nullptr;
    detail::task_node* live_head_ = nullptr;
    detail::timer_queue timers_;
    std::vector<fd_slot> fds_;
    std::size_t io_waiting_ = 0;
    std::size_t external_waits_ = 0;
    std::uint64_t id_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    bool shutting_down_ = false;  // main has finished: every park is cancelled
    loop_stats stats_;

    // Touched by other threads (see the wake-up protocol above).
    std::atomic<detail::posted_work*> posted_{nullptr};
    std::atomic<bool> sleeping_{false};
    std::atomic<bool> wake_pending_{false};
    // Threads inside post() right now. post() still touches the loop (the
    // flags, the eventfd) after its item is visible, so the destructor waits
    // for this to drop to zero before closing the eventfd: a to_thread worker
    // whose item the loop already ran may still be in its write() call.
    std::atomic<int> posters_{0};
    // loop_keep_alive objects alive (any thread releases one).
    friend class loop_keep_alive;
    std::atomic<std::size_t> keep_alives_{0};
};

// The handle event_loop::keep_alive() returns: move-only, released by its
// destructor or reset(). Releasing wakes the loop so that it re-checks for a
// deadlock. Its post() is the loop's post(); it may be called from any
// thread while the handle is held.
class loop_keep_alive {
public:
    loop_keep_alive() noexcept = default;
    loop_keep_alive(loop_keep_alive&& o) noexcept : loop_(std::exchange(o.loop_, nullptr)) {}
    loop_keep_alive& operator=(loop_keep_alive&& o) noexcept {
        if (this != &o) {
            reset();
            loop_ = std::exchange(o.loop_, nullptr);
        }
        return *this;
    }
    loop_keep_alive(const loop_keep_alive&) = delete;
    loop_keep_alive& operator=(const loop_keep_alive&) = delete;
    ~loop_keep_alive() { reset(); }

    bool valid() const noexcept { return loop_ != nullptr; }
    // Posts to the loop (see event_loop::post). An empty handle is a
    // programming error and ends the program with a message.
    void post(std::function<void()> fn) const;
    // Releases the promise (idempotent).
    void reset() noexcept;

private:
    friend class event_loop;
    explicit loop_keep_alive(event_loop* loop) noexcept : loop_(loop) {}
    event_loop* loop_ = nullptr;
};

namespace detail {

// Called by a root's final_suspend: marks it done, unlinks it from the live
// list and tells its listener (returning the coroutine to run next), or frees
// it if nobody owns it.
std::coroutine_handle<> finish_root(task_node* node) noexcept;
// The owner (handle, gather, run) lets go: frees the node and frame if done,
// else marks it detached so finish_root frees it.
void release_root(task_node* node) noexcept;
// Requests cancellation (see task_node.hpp). False if already finished.
bool cancel_root(task_node* node) noexcept;
// For a listener's on_done: resume the awaiting root `waiter` at `where`
// (symmetric transfer), or, without exceptions and if `waiter` itself is
// being cancelled, schedule it so the loop destroys it.
std::coroutine_handle<> resume_waiter(task_node* waiter, std::coroutine_handle<> where) noexcept;

// The running loop, or fatal error naming `what` outside one.
event_loop& loop_for(const char* what) noexcept;

}  // namespace detail
}  // namespace tinyrt
