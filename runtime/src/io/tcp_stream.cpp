// The stream operations share one shape, the reactor pattern's "try, then
// wait":
//   1. make the system call on the non-blocking socket;
//   2. success or a real error: done (a real error raises);
//   3. EAGAIN: co_await wait_ready(fd, interest) (the owned variant) — the loop parks this
//      coroutine in epoll and runs others — then go to 1.
// Trying first saves an epoll round trip whenever data is already there,
// which is the common case under load. One exception: after a short read
// the socket is known to have been drained, so read_some waits first (see
// drained_ in tcp_stream.hpp). Step 3 may wake spuriously
// (EPOLLERR/EPOLLHUP count as ready, or another reader drained the socket);
// step 1 then simply reports EAGAIN, or the error, again.
#include "tinyrt/io/tcp_stream.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "socket_ops.hpp"
#include "tinyrt/io/errors.hpp"

namespace tinyrt::io {

tcp_stream::tcp_stream(unique_fd fd) noexcept : fd_(std::move(fd)) {
    if (!fd_) return;
    detail::prepare_stream_socket(fd_.get());
    // The stream's waits skip the loop's fd-reuse check (they are owned), so
    // drop whatever the loop remembers of this number from a raw fd closed
    // without forget_fd. No system call unless the loop had registered the
    // number (also after connect's own wait: the next wait registers again).
    tinyrt::forget_fd(fd_.get());
}

task<tcp_stream> tcp_stream::connect(std::string_view ipv4, std::uint16_t port) {
    sockaddr_in addr{};
    if (!detail::parse_ipv4(ipv4, port, addr))
        raise_system_error(EINVAL, "connect: not an IPv4 address '" + std::string(ipv4) + "'");
    int fd = detail::new_tcp_socket();
    if (fd < 0) raise_system_error(-fd, "socket");
    unique_fd owner(fd);  // closes the socket on every failure below, cancellation included

    // A non-blocking connect returns EINPROGRESS and finishes in the
    // background; the socket turns writable when the handshake is over, and
    // SO_ERROR then says how it ended (0, ECONNREFUSED, ETIMEDOUT...).
    int err = 0;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) err = errno;
    if (err == EINPROGRESS || err == EINTR) {
        co_await tinyrt::detail::wait_owned_ready(fd, io_interest::writable);
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    }
    if (err != 0) raise_system_error(err, "connect " + detail::describe(addr));
    co_return tcp_stream(std::move(owner));
}

task<std::size_t> tcp_stream::read_some(std::span<char> buffer) {
    if (buffer.empty()) co_return 0;
    // The last read came back short, so the kernel's buffer was empty then:
    // a recv now would most likely only say EAGAIN. Wait first instead and
    // save that system call (one in three per request/response round trip).
    // Waiting is still correct if bytes did arrive meanwhile: their edge is
    // remembered by the loop (or wakes the wait), and an end of stream
    // makes every wait return at once.
    if (drained_) co_await tinyrt::detail::wait_owned_ready(fd_.get(), io_interest::readable);
    for (;;) {
        ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
        if (n >= 0) {
            drained_ = static_cast<std::size_t>(n) < buffer.size();
            co_return static_cast<std::size_t>(n);
        }
        int err = errno;
        if (err == EINTR) continue;
        if (err != EAGAIN && err != EWOULDBLOCK) raise_system_error(err, "read");
        co_await tinyrt::detail::wait_owned_ready(fd_.get(), io_interest::readable);
    }
}

task<void> tcp_stream::read_exact(std::span<char> buffer) {
    std::size_t got = 0;
    while (got < buffer.size()) {
        std::size_t n = co_await read_some(buffer.subspan(got));
        if (n == 0) raise_end_of_stream(got, buffer.size());
        got += n;
    }
}

task<void> tcp_stream::write_all(std::span<const char> bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        // MSG_NOSIGNAL: a peer that went away gives EPIPE here instead of
        // SIGPIPE killing the whole process.
        ssize_t n = ::send(fd_.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);  // partial write: the rest goes on the next turn
            continue;
        }
        int err = errno;
        if (err == EINTR) continue;
        if (err != EAGAIN && err != EWOULDBLOCK) raise_system_error(err, "write");
        co_await tinyrt::detail::wait_owned_ready(fd_.get(), io_interest::writable);
    }
}

void tcp_stream::shutdown_write() noexcept {
    if (fd_) ::shutdown(fd_.get(), SHUT_WR);
}

}  // namespace tinyrt::io
