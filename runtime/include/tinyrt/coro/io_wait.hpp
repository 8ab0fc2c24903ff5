// Readiness waits on file descriptors: the contract the TCP layer (tinyrt/io)
// is built on. The loop's epoll instance is the reactor.
//
//   co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
//   ssize_t n = ::read(fd, buf, len);  // now ready (or it reports the error)
//
// Protocol (per fd, on the loop thread). The fd is registered once, at its
// first wait, edge-triggered (EPOLLET) for both directions; each slot holds,
// per direction, the parked waiter or what the edges said while nobody
// waited:
//   1. wait_ready takes a remembered edge and returns without suspending;
//      a remembered hang-up (end of stream, HUP) makes every wait return at
//      once. Otherwise it parks the task in the slot (one reader, one
//      writer). No system call, except EPOLL_CTL_ADD at the first wait.
//   2. An event (EPOLLIN / EPOLLOUT, and EPOLLERR / EPOLLHUP for both
//      directions) makes the matching waiters ready; a direction nobody
//      waits on remembers the edge. Waking is only a hint: the caller's
//      read/write re-checks, and on EAGAIN waits again (try, then wait).
//   3. Cancellation (handle.cancel(), a wait_for timeout) clears the waiter
//      from the slot; the registration stays; the await then throws
//      tinyrt::cancelled_error.
// Only one of "event" and "cancel" can happen to a waiter: both run on the
// loop thread and each first takes the waiter out of the slot, so whichever
// the loop processes first wins and the other finds it gone.
//
// fd reuse: the right order is forget_fd, then close (tinyrt::io::unique_fd
// does it). A raw fd closed without forget_fd whose number comes back for a
// new file is still safe: before a wait_ready on it sleeps (or trusts a
// remembered hang-up), the loop repeats EPOLL_CTL_ADD, which the kernel
// refuses (EEXIST) only while the same file is registered; it succeeds for
// the new file, and the wait sleeps on that. A wait may therefore return
// spuriously once (an edge remembered from the old file) but never sleeps on
// a dead registration. That check costs a raw wait one system call when it
// sleeps; tinyrt::io's sockets, which always forget before closing, skip it.
//
// Limits: one reader and one writer may wait on an fd at a time (a second
// concurrent wait in the same direction is a programming error and ends the
// program with a message).
#pragma once

#include <coroutine>
#include <cstdint>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/coro/detail/parked_awaiter.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt {

enum class io_interest : std::uint32_t { readable = 1, writable = 2 };

namespace detail {

// A coroutine parked in wait_ready on one fd and direction: what the loop's
// fd slots hold (io_wait.cpp).
struct io_waiter : parked_awaiter {
    using parked_awaiter::parked_awaiter;
    // In `interest`, next to the io_interest bit: the fd's owner calls
    // forget_fd before closing it and after taking it over (tinyrt::io), so
    // the loop need not re-check the registration before sleeping.
    static constexpr std::uint32_t owned_fd = 4;
    int fd = -1;
    std::uint32_t interest = 0;  // 1 readable or 2 writable (io_interest), maybe | owned_fd
};

}  // namespace detail

class io_wait_awaiter : private detail::io_waiter {
public:
    io_wait_awaiter(int watched_fd, io_interest wanted, bool owned = false) noexcept
        : io_waiter(&on_cancel) {
        this->fd = watched_fd;
        this->interest = static_cast<std::uint32_t>(wanted) | (owned ? owned_fd : 0);
    }
    // Destroyed while parked only when a cancelled chain is destroyed (builds
    // without exceptions): take the waiter out of the reactor. `node` is set
    // by park (arg, its union partner, is unused here, so it stays null until
    // then) and cleared again when the fd was ready and the task never slept.
    ~io_wait_awaiter() {
        if (node != nullptr && !done_) detail::loop_core::running()->remove_io_waiter(this);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        detail::loop_core& loop = detail::loop_for("wait_ready");
        if (!park(loop, h)) return detail::suspend_to_cancel;
        loop.add_io_waiter(this);
        return node != nullptr;  // null: ready at once, not parked
    }
    void await_resume() {
        done_ = true;
        throw_if_cancelled();
    }

private:
    static void on_cancel(detail::cancel_hook* self) noexcept {
        auto* me = &static_cast<io_wait_awaiter&>(*self);
        detail::loop_core::running()->remove_io_waiter(me);
        me->wake_cancelled();
    }
    bool done_ = false;
};

// Awaitable. Suspends the calling coroutine until `fd` is ready for
// `interest` (EPOLLERR/EPOLLHUP count as ready: the following read/write
// reports the error). Only on the loop thread, from a coroutine run by
// tinyrt::run/create_task/gather. May return spuriously: retry the
// read/write, and wait again on EAGAIN. If the awaiting task is cancelled
// (handle.cancel(), a wait_for timeout), the waiter leaves the fd's slot and
// the await ends with tinyrt::cancelled_error.
[[nodiscard]] inline io_wait_awaiter wait_ready(int fd, io_interest interest) noexcept {
    return io_wait_awaiter{fd, interest};
}

namespace detail {
// wait_ready for an fd whose owner keeps the fd-reuse rule (forget_fd after
// taking the fd over and before closing it): tinyrt::io's sockets.
[[nodiscard]] inline io_wait_awaiter wait_owned_ready(int fd, io_interest interest) noexcept {
    return io_wait_awaiter{fd, interest, true};
}
}  // namespace detail

// Drops any reactor state for fd; call before closing an fd that was waited
// on. A task still parked on fd is made ready (its next read/write then
// reports the error). Loop thread only; a no-op outside a running loop.
void forget_fd(int fd) noexcept;

}  // namespace tinyrt
