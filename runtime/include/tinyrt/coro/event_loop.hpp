// tinyrt::event_loop: asyncio's event loop on one thread, for C++20 stackless
// coroutines. How it works: detail/loop_core.hpp (the step, the wake-up
// protocol, the deadlock check); tinyrt::run drives it.
//
// An application rarely needs the loop object itself: tinyrt::run creates
// one. What it offers other threads is post() and keep_alive(), and to
// everyone stats() and current().
#pragma once

#include <cstdint>
#include <utility>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/posted_function.hpp"
#include "tinyrt/coro/loop_stats.hpp"

namespace tinyrt {

class event_loop;
class loop_keep_alive;

namespace detail {
class loop_inspector;
loop_core& core_of(event_loop& loop) noexcept;
}  // namespace detail

class event_loop : private detail::loop_core {
public:
    // Raises std::system_error if the kernel refuses an epoll instance or
    // an eventfd (EMFILE: no descriptors left), like any resource failure.
    event_loop() = default;
    // Waits until every keep_alive() is released; drops posted work that
    // never ran.
    ~event_loop() = default;
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;

    // The loop running on the calling thread, or nullptr outside one.
    static event_loop* current() noexcept {
        return static_cast<event_loop*>(detail::loop_core::running());
    }

    // Unique among all loops of the process, even one created at the address
    // of a destroyed one (handles use it to detect a foreign loop). Never 0.
    using detail::loop_core::id;

    // Thread-safe: runs `fn` (any callable taking no arguments, move-only
    // ones included; it is moved or copied into the node) on the loop thread
    // at its next step, waking the loop if it sleeps. Allocates one small
    // node. Functions posted after the loop has finished its last run are
    // dropped when the loop is destroyed -- never run on a dead loop. If
    // `fn` throws, the error is printed to stderr ("tinyrt: a function
    // posted to the loop failed: ...", as for a failed detached task) and
    // the loop goes on.
    //
    // A thread that will post later must hold a keep_alive() meanwhile: the
    // loop cannot see a thread that merely intends to post, and with no
    // timer, fd wait, to_thread job or keep-alive left it reports a deadlock.
    template <detail::postable F>
    void post(F&& fn) {
        detail::loop_core::post(detail::make_posted(std::forward<F>(fn)));
    }

    // A promise that some thread may still post: while the returned object
    // (or a move of it) lives, "every task waits and nothing can wake one"
    // is not a deadlock; the loop sleeps until a post arrives. Take it on
    // the loop thread, before handing it to the thread that will post
    // (asyncio's loop keeps running while call_soon_threadsafe may still
    // come; here that promise is explicit). ~event_loop() waits until every
    // keep-alive is released.
    [[nodiscard]] loop_keep_alive keep_alive() noexcept;

    // Counters so far. Loop thread, or any thread once run() has returned.
    using detail::loop_core::stats;

    // Records the loop's timeline into `rec` (README, "Seeing what the
    // runtime did"); null: off. Call it before the loop runs; `rec` must
    // outlive the loop.
    void set_trace(trace::recorder* rec) noexcept { detail::loop_core::set_trace(rec); }

    // Steady clock in nanoseconds, the time base of every deadline.
    using detail::loop_core::now_ns;

private:
    friend detail::loop_core& detail::core_of(event_loop& loop) noexcept;
    friend class detail::loop_inspector;
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
    template <detail::postable F>
    void post(F&& fn) const {
        if (loop_ == nullptr) empty_post();
        loop_->post(std::forward<F>(fn));
    }
    // Releases the promise (idempotent).
    void reset() noexcept;

private:
    friend class event_loop;
    explicit loop_keep_alive(event_loop* loop) noexcept : loop_(loop) {}
    [[noreturn]] static void empty_post() noexcept;
    event_loop* loop_ = nullptr;
};

namespace detail {
// tinyrt's own way from a loop to its core (run_on, to_thread).
inline loop_core& core_of(event_loop& loop) noexcept {
    return loop;
}
}  // namespace detail

}  // namespace tinyrt
