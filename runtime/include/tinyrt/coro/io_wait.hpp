// Readiness waits on file descriptors: the contract the TCP layer (tinyrt/io)
// is built on. The loop's epoll instance is the reactor.
//
//   co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
//   ssize_t n = ::read(fd, buf, len);  // now ready (or it reports the error)
//
// Protocol (per fd, on the loop thread):
//   1. wait_ready parks the task in the fd's slot (one reader, one writer)
//      and arms epoll with EPOLLONESHOT for the union of the slot's interests
//      (EPOLL_CTL_MOD; EPOLL_CTL_ADD the first time or if the kernel dropped
//      the fd because it was closed).
//   2. An event (EPOLLIN / EPOLLOUT, and EPOLLERR / EPOLLHUP for both
//      directions) makes the matching waiters ready and clears them from the
//      slot; one-shot disarmed the fd, so it is re-armed for any waiter left.
//   3. Cancellation (handle.cancel(), a wait_for timeout) clears the waiter
//      from the slot and re-arms epoll for what remains (EPOLL_CTL_DEL when
//      nothing does); the await then throws tinyrt::cancelled_error.
// Only one of "event" and "cancel" can happen to a waiter: both run on the
// loop thread and each first takes the waiter out of the slot, so whichever
// the loop processes first wins and the other finds it gone.
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
    int fd = -1;
    std::uint32_t interest = 0;  // 1 readable, 2 writable (io_interest)
};

}  // namespace detail

class io_wait_awaiter : private detail::io_waiter {
public:
    io_wait_awaiter(int watched_fd, io_interest wanted) noexcept : io_waiter(&on_cancel) {
        this->fd = watched_fd;
        this->interest = static_cast<std::uint32_t>(wanted);
    }
    // Destroyed while parked only when a cancelled chain is destroyed (builds
    // without exceptions): take the waiter out of the reactor. `node` is set
    // by park (arg, its union partner, is unused here, so it stays null until
    // then).
    ~io_wait_awaiter() {
        if (node != nullptr && !done_) detail::loop_core::running()->remove_io_waiter(this);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        detail::loop_core& loop = detail::loop_for("wait_ready");
        if (!park(loop, h)) return detail::suspend_to_cancel;
        loop.add_io_waiter(this);
        return true;
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
// tinyrt::run/create_task/gather. If the awaiting task is cancelled
// (handle.cancel(), a wait_for timeout), the registration is removed from
// epoll and the await ends with tinyrt::cancelled_error.
[[nodiscard]] inline io_wait_awaiter wait_ready(int fd, io_interest interest) noexcept {
    return io_wait_awaiter{fd, interest};
}

// Drops any reactor state for fd; call before closing an fd that was waited
// on. A task still parked on fd is made ready (its next read/write then
// reports the error). Loop thread only; a no-op outside a running loop.
void forget_fd(int fd) noexcept;

}  // namespace tinyrt
