// A connected, non-blocking TCP stream driven by the event loop — the
// counterpart of asyncio's StreamReader/StreamWriter pair or Tokio's
// TcpStream. Every operation tries the system call first and only when the
// kernel says EAGAIN suspends the calling coroutine in tinyrt::wait_ready
// until epoll reports the socket ready; the loop thread never blocks. This
// is the Reactor pattern (D. C. Schmidt, "Reactor: An Object Behavioral
// Pattern for Demultiplexing and Dispatching Handles for Synchronous
// Events", PLoP 1994) with the loop's epoll instance as the demultiplexer.
//
// Contract:
//  - Loop thread only: create, use and destroy a stream on the thread that
//    runs the loop it waits on (its descriptor is registered there).
//  - At most one read and one write in flight at a time (like a socket
//    shared by one reader and one writer task).
//  - Errors: std::system_error with the errno message ("Connection refused",
//    "Connection reset by peer"), see errors.hpp. Timeouts come from the
//    loop: co_await tinyrt::wait_for(s.read_some(buf), 500ms).
//  - Cancellation: cancelling the task that awaits an operation ends the
//    wait with tinyrt::cancelled_error and removes the registration; bytes
//    already written stay written, and the stream stays usable or closable.
//  - The stream is closed when destroyed; close() does it earlier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "tinyrt/coro.hpp"
#include "tinyrt/io/unique_fd.hpp"

namespace tinyrt::io {

class tcp_stream {
public:
    tcp_stream() noexcept = default;  // not connected
    // Adopts a connected socket; makes it non-blocking and sets TCP_NODELAY.
    explicit tcp_stream(unique_fd fd) noexcept;
    // A move takes the socket and its read hint; the moved-from stream is
    // closed, exactly as after close().
    tcp_stream(tcp_stream&& o) noexcept
        : fd_(std::move(o.fd_)), drained_(std::exchange(o.drained_, false)) {}
    tcp_stream& operator=(tcp_stream&& o) noexcept {
        if (this != &o) {
            fd_ = std::move(o.fd_);
            drained_ = std::exchange(o.drained_, false);
        }
        return *this;
    }

    // Connects to `ipv4:port` ("127.0.0.1"). An invalid address raises
    // errc::invalid_argument; a refused or unreachable peer raises the system
    // error; the handshake itself waits on the loop, never blocks it.
    [[nodiscard]] static task<tcp_stream> connect(std::string_view ipv4, std::uint16_t port);

    // Reads what is available, at least one byte, at most buffer.size().
    // Returns 0 only at end of stream (the peer shut down its side) or for an
    // empty buffer. On a closed (or moved-from) stream a read or write raises
    // errc::bad_file_descriptor, whatever the reads before it returned.
    [[nodiscard]] task<std::size_t> read_some(std::span<char> buffer);
    // Fills the whole buffer, or raises stream_errc::end_of_stream if the
    // peer closes first.
    [[nodiscard]] task<void> read_exact(std::span<char> buffer);
    // Writes every byte, across as many partial writes as the kernel makes.
    // A peer that has gone away raises errc::broken_pipe or connection_reset
    // (never SIGPIPE: writes use MSG_NOSIGNAL).
    [[nodiscard]] task<void> write_all(std::span<const char> bytes);

    // Half-close: the peer's reads see end of stream; reading still works.
    void shutdown_write() noexcept;
    // Forgets the socket in the loop and closes it. Idempotent.
    void close() noexcept {
        fd_.reset();
        drained_ = false;  // the hint belongs to the socket just closed
    }

    [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(fd_); }
    [[nodiscard]] int native_handle() const noexcept { return fd_.get(); }

private:
    unique_fd fd_;
    // The previous read returned fewer bytes than asked: the socket was
    // empty then, so the next read waits for readiness before calling recv.
    // Only a hint: a wrong guess costs one loop turn, never a lost byte.
    // It describes the open socket only (close and moves clear it).
    bool drained_ = false;
};

}  // namespace tinyrt::io
