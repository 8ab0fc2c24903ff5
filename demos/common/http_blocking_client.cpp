#include "common/http_blocking_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace demo::http {
namespace {

[[noreturn]] void throw_errno(int err) {
    throw std::system_error(err, std::generic_category());
}

// Owns one socket descriptor; closes it on every exit path.
class blocking_socket {
public:
    explicit blocking_socket(int fd) : fd_(fd) {}
    blocking_socket(const blocking_socket&) = delete;
    blocking_socket& operator=(const blocking_socket&) = delete;
    ~blocking_socket() { ::close(fd_); }
    int fd() const noexcept { return fd_; }

private:
    int fd_;
};

// SO_RCVTIMEO/SO_SNDTIMEO bound each recv/send call, so a stalled server turns
// into EAGAIN after `timeout` instead of a hang; it is reported as ETIMEDOUT.
void set_timeouts(int fd, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        throw_errno(errno);
}

int map_timeout(int err) noexcept {
    return (err == EAGAIN || err == EWOULDBLOCK) ? ETIMEDOUT : err;
}

}  // namespace

response get_blocking(std::string_view url_text, std::chrono::milliseconds timeout) {
    url u = parse_url(url_text);
    blocking_socket sock(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (sock.fd() < 0) throw_errno(errno);
    set_timeouts(sock.fd(), timeout);

    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(u.port);
    ::inet_pton(AF_INET, u.host.c_str(), &addr.sin_addr);  // parse_url already validated it
    if (::connect(sock.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw_errno(map_timeout(errno));

    std::string request = format_request("GET", u.host + ":" + std::to_string(u.port), u.target);
    for (std::size_t sent = 0; sent < request.size();) {
        ssize_t n = ::send(sock.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(map_timeout(errno));
        }
        sent += static_cast<std::size_t>(n);
    }

    response_reader reader;
    char chunk[16 * 1024];
    for (;;) {
        ssize_t n = ::recv(sock.fd(), chunk, sizeof chunk, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(map_timeout(errno));
        }
        if (n == 0) reader.closed_early();
        if (reader.feed(std::string_view(chunk, static_cast<std::size_t>(n)))) break;
    }
    return reader.take();
}

}  // namespace demo::http
