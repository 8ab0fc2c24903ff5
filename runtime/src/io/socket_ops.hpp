// Private to src/io: the few socket system calls the streams and listeners
// share, each returning 0 or an errno value instead of setting errno, so the
// coroutine code reads as "try, and on EAGAIN wait".
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tinyrt::io::detail {

// Parses a dotted IPv4 address; false if `text` is not one.
bool parse_ipv4(std::string_view text, std::uint16_t port, sockaddr_in& out) noexcept;
// "127.0.0.1:8080", for error messages.
std::string describe(const sockaddr_in& addr);

// O_NONBLOCK on; TCP_NODELAY on (small request/response messages must not
// wait for Nagle's 40 ms delayed-ACK dance).
void prepare_stream_socket(int fd) noexcept;

// A new non-blocking, close-on-exec IPv4 TCP socket, or -errno.
int new_tcp_socket() noexcept;

}  // namespace tinyrt::io::detail
