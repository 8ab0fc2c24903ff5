#include "socket_ops.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "tinyrt/coro/io_wait.hpp"

namespace tinyrt::io::detail {

bool parse_ipv4(std::string_view text, std::uint16_t port, sockaddr_in& out) noexcept {
    char buf[INET_ADDRSTRLEN] = {};
    if (text.empty() || text.size() >= sizeof buf) return false;
    text.copy(buf, text.size());  // inet_pton needs a terminated string
    out = sockaddr_in{};
    out.sin_family = AF_INET;
    out.sin_port = htons(port);
    return ::inet_pton(AF_INET, buf, &out.sin_addr) == 1;
}

std::string describe(const sockaddr_in& addr) {
    char buf[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &addr.sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(addr.sin_port));
}

void prepare_stream_socket(int fd) noexcept {
    int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags >= 0 && (flags & O_NONBLOCK) == 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int one = 1;
    // best effort: only latency depends on it
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int new_tcp_socket() noexcept {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    // The number may have been some raw fd's, closed without forget_fd: drop
    // what the loop remembers of it, as the owned waits rely on (io_wait.hpp).
    // No system call unless the loop had registered that number.
    tinyrt::forget_fd(fd);
    return fd;
}

}  // namespace tinyrt::io::detail
