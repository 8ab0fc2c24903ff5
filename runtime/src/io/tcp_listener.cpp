#include "tinyrt/io/tcp_listener.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "socket_ops.hpp"
#include "tinyrt/io/errors.hpp"

namespace tinyrt::io {

tcp_listener tcp_listener::bind(std::string_view ipv4, std::uint16_t port, int backlog) {
    sockaddr_in addr{};
    if (!detail::parse_ipv4(ipv4, port, addr))
        raise_system_error(EINVAL, "bind: not an IPv4 address '" + std::string(ipv4) + "'");
    int fd = detail::new_tcp_socket();
    if (fd < 0) raise_system_error(-fd, "socket");
    tcp_listener l;
    l.fd_.reset(fd);
    int one = 1;
    // SO_REUSEADDR: a demo restarted at once may rebind a port whose old
    // connections are still in TIME_WAIT.
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        raise_system_error(errno, "bind " + detail::describe(addr));
    if (::listen(fd, backlog) != 0) raise_system_error(errno, "listen " + detail::describe(addr));
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        raise_system_error(errno, "getsockname");
    l.port_ = ntohs(addr.sin_port);
    return l;
}

task<tcp_stream> tcp_listener::accept() {
    for (;;) {
        int fd = ::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) co_return tcp_stream(unique_fd(fd));
        int err = errno;
        switch (err) {
            case EINTR:
            case ECONNABORTED:  // the client gave up while queued: not our error, take the next
            case EPROTO:
                continue;
            case EAGAIN:
#if EWOULDBLOCK != EAGAIN
            case EWOULDBLOCK:
#endif
                co_await tinyrt::detail::wait_owned_ready(fd_.get(), io_interest::readable);
                continue;
            default:
                raise_system_error(err, "accept");
        }
    }
}

}  // namespace tinyrt::io
