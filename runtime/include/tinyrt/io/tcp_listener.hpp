// A listening TCP socket whose accept() suspends the calling coroutine until
// a connection arrives (asyncio.start_server's socket, Tokio's TcpListener).
//
// Contract: bind() may run on any thread (it only makes the socket); accept()
// and destruction happen on the loop thread that accepts. Binding port 0 lets
// the kernel pick a free port, which port() reports — tests and demos bind
// 127.0.0.1:0 so parallel runs never collide.
#pragma once

#include <cstdint>
#include <string_view>

#include "tinyrt/coro.hpp"
#include "tinyrt/io/tcp_stream.hpp"
#include "tinyrt/io/unique_fd.hpp"

namespace tinyrt::io {

class tcp_listener {
public:
    tcp_listener() noexcept = default;  // not listening

    // Binds `ipv4:port` with SO_REUSEADDR and listens. Raises
    // errc::address_in_use and friends as std::system_error.
    [[nodiscard]] static tcp_listener bind(std::string_view ipv4 = "127.0.0.1",
                                           std::uint16_t port = 0, int backlog = 1024);

    // The next connection, already non-blocking. Connections aborted before
    // they were accepted are skipped; running out of descriptors (EMFILE)
    // raises, so the caller decides whether to back off or stop.
    [[nodiscard]] task<tcp_stream> accept();

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    void close() noexcept { fd_.reset(); }
    [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(fd_); }
    [[nodiscard]] int native_handle() const noexcept { return fd_.get(); }

private:
    unique_fd fd_;
    std::uint16_t port_ = 0;
};

}  // namespace tinyrt::io
