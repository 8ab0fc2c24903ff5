// The loop's reactor half: fd slots and epoll registration (protocol in
// tinyrt/coro/io_wait.hpp).
#include "tinyrt/coro/io_wait.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <utility>

#include "tinyrt/coro/detail/loop_core.hpp"

namespace tinyrt {

namespace {
constexpr std::uint32_t readable_bit = static_cast<std::uint32_t>(io_interest::readable);
}  // namespace

void detail::loop_core::add_io_waiter(detail::io_waiter* w) {
    if (w->fd < 0) detail::fatal("wait_ready: negative file descriptor");
    const auto fd = static_cast<std::size_t>(w->fd);
    if (fd >= fds_.size()) fds_.resize(fd + 1);
    fd_slot& slot = fds_[fd];
    detail::io_waiter*& place = (w->interest == readable_bit) ? slot.reader : slot.writer;
    if (place != nullptr)
        detail::fatal("wait_ready: two tasks wait on the same fd in the same direction");
    place = w;
    ++io_waiting_;
    ++stats_.io_waits;
    rearm(w->fd);
}

void detail::loop_core::remove_io_waiter(detail::io_waiter* w) noexcept {
    const auto fd = static_cast<std::size_t>(w->fd);
    if (fd >= fds_.size()) return;
    fd_slot& slot = fds_[fd];
    bool removed = false;
    if (slot.reader == w) {
        slot.reader = nullptr;
        removed = true;
    }
    if (slot.writer == w) {
        slot.writer = nullptr;
        removed = true;
    }
    if (!removed) return;  // the event won: already out of the slot
    --io_waiting_;
    rearm(w->fd);
}

// Arms the fd (one-shot) for the interests still waited on, or removes it.
void detail::loop_core::rearm(int fd) noexcept {
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    std::uint32_t events = 0;
    if (slot.reader != nullptr) events |= EPOLLIN | EPOLLRDHUP;
    if (slot.writer != nullptr) events |= EPOLLOUT;
    if (events == 0) {
        if (slot.in_epoll) {
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // ENOENT/EBADF if closed: fine
            slot.in_epoll = false;
        }
        return;
    }
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT;
    ev.data.u64 = static_cast<std::uint64_t>(fd);
    if (slot.in_epoll && ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) == 0) return;
    // First registration, or the kernel dropped it when the fd was closed.
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
        slot.in_epoll = true;
        return;
    }
    // A bad fd (closed, or not pollable like a regular file): report it as
    // ready, so the caller's read/write returns the error instead of hanging.
    slot.in_epoll = false;
    handle_fd_event(fd, EPOLLERR);
}

void detail::loop_core::handle_fd_event(int fd, std::uint32_t events) {
    if (static_cast<std::size_t>(fd) >= fds_.size()) return;
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    const std::uint32_t failure = EPOLLERR | EPOLLHUP;
    bool woke = false;
    if (slot.reader != nullptr && (events & (EPOLLIN | EPOLLRDHUP | failure)) != 0) {
        wake(std::exchange(slot.reader, nullptr)->node);
        --io_waiting_;
        woke = true;
    }
    if (slot.writer != nullptr && (events & (EPOLLOUT | failure)) != 0) {
        wake(std::exchange(slot.writer, nullptr)->node);
        --io_waiting_;
        woke = true;
    }
    // One-shot disarmed the fd; re-arm for a waiter still there (an event for
    // the other direction). Not after a failed rearm (would recurse).
    if (woke && slot.in_epoll && (slot.reader != nullptr || slot.writer != nullptr)) rearm(fd);
}

void detail::loop_core::forget_fd(int fd) noexcept {
    if (fd < 0 || static_cast<std::size_t>(fd) >= fds_.size()) return;
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    if (slot.reader != nullptr || slot.writer != nullptr) {
        handle_fd_event(fd, EPOLLERR);  // parked tasks wake and see the error
    }
    if (slot.in_epoll) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    slot = fd_slot{};
}

void forget_fd(int fd) noexcept {
    if (detail::loop_core* loop = detail::loop_core::running()) loop->forget_fd(fd);
}

}  // namespace tinyrt
