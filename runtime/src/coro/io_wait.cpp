// The loop's reactor half: fd slots and epoll registration (protocol in
// tinyrt/coro/io_wait.hpp).
#include "tinyrt/coro/io_wait.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <utility>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt {

namespace {
constexpr std::uint32_t readable_bit = static_cast<std::uint32_t>(io_interest::readable);

// What a direction's place in a slot holds when no task waits there:
// nullptr (nothing known), or one of these two marks (loop_core.hpp).
//   io_edge_mark    an edge came while nobody waited; the next wait takes
//                   it and returns at once.
//   io_hangup_mark  the direction is finished for good (end of stream: RDHUP
//                   or HUP; HUP for writes): every wait returns at once, so a
//                   read that waits before it tries (tcp_stream's drained
//                   hint) still sees the end of file, which sends no second
//                   edge.
// The fd event handler that sets them, loop_core::handle_fd_event, is in
// loop_core.cpp: the loop calls it, and a program that never waits on an fd
// then links none of this file.
// Drops the marks of both directions, keeping parked waiters.
template <typename Slot>
void clear_marks(Slot& slot) noexcept {
    if (!detail::is_io_waiter(slot.reader)) slot.reader = nullptr;
    if (!detail::is_io_waiter(slot.writer)) slot.writer = nullptr;
}
}  // namespace

void detail::loop_core::add_io_waiter(detail::io_waiter* w) {
    if (w->fd < 0) detail::fatal("wait_ready: negative file descriptor");
    const auto fd = static_cast<std::size_t>(w->fd);
    if (fd >= fds_.size()) fds_.resize(fd + 1);
    fd_slot& slot = fds_[fd];
    const bool reads = (w->interest & readable_bit) != 0;
    detail::io_waiter*& place = reads ? slot.reader : slot.writer;
    if (detail::is_io_waiter(place))
        detail::fatal("wait_ready: two tasks wait on the same fd in the same direction");
    ++stats_.io_waits;
    // Not parked after all: the wait returns without suspending.
    auto stay_running = [w] {
        w->node->hook = nullptr;
        w->node = nullptr;
    };
    if (place == &detail::io_edge_mark) {
        place = nullptr;
        stay_running();
        return;
    }
    const bool owned = (w->interest & detail::io_waiter::owned_fd) != 0;
    // A raw fd may have been closed and its number reused without forget_fd:
    // before a raw wait relies on the registration (to sleep, or to trust a
    // hang-up), rearm() asks the kernel whether it still watches this fd's
    // current file. An owned fd was forgotten before any close, so its
    // registration is known good once made.
    if (!slot.in_epoll || !owned) rearm(w->fd);
    if (!slot.in_epoll || place == &detail::io_hangup_mark) {
        // Not pollable (a closed fd, a regular file), or finished: the
        // caller's read/write reports it instead of waiting forever.
        stay_running();
        return;
    }
    place = w;
    ++io_waiting_;
    trace::fd_wait(w->fd);
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
    if (removed) --io_waiting_;  // else the event won: already out of the slot
}

// Makes sure epoll watches the file that `fd` names now, edge-triggered for
// both directions, for as long as it stays registered. EPOLL_CTL_ADD is keyed
// by the (file, fd number) pair, so it tells the cases apart:
//   succeeds  never registered, or the registration belonged to a file that
//             was closed (the number was reused): the marks described the
//             old file and are dropped. The kernel checks readiness as it
//             adds, so a file that is ready already reports an edge.
//   EEXIST    this very file is registered: marks and edges are current. (If
//             the slot did not know it, MOD re-arms it so that readiness
//             that exists is reported as a new edge.)
//   fails     not pollable (closed, a regular file): in_epoll ends false.
// A closed file that is still open elsewhere (dup, fork) keeps its old
// registration in the kernel; its events reach this slot as spurious
// wake-ups, which the try-then-wait callers absorb.
void detail::loop_core::rearm(int fd) noexcept {
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = static_cast<std::uint64_t>(fd);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
        clear_marks(slot);
        slot.in_epoll = true;
        return;
    }
    if (errno == EEXIST) {
        if (!slot.in_epoll) ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
        slot.in_epoll = true;
        return;
    }
    clear_marks(slot);
    slot.in_epoll = false;
}

void detail::loop_core::forget_fd(int fd) noexcept {
    if (fd < 0 || static_cast<std::size_t>(fd) >= fds_.size()) return;
    fd_slot& slot = fds_[static_cast<std::size_t>(fd)];
    // Parked tasks wake; their next read/write reports what became of the fd.
    for (detail::io_waiter* place : {slot.reader, slot.writer}) {
        if (!detail::is_io_waiter(place)) continue;
        wake(place->node);
        --io_waiting_;
    }
    if (slot.in_epoll) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // EBADF if closed: fine
    slot = fd_slot{};
}

void forget_fd(int fd) noexcept {
    if (detail::loop_core* loop = detail::loop_core::running()) loop->forget_fd(fd);
}

}  // namespace tinyrt
