// tinyrt::io::tcp_stream on real loopback sockets: smoke, partial reads and
// writes, every error the issue names (refused, reset, end of stream, broken
// pipe, timeout) and cancellation of a pending read.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "io_test_support.hpp"

using namespace std::chrono_literals;
using tinyrt::task;
using tinyrt::io::tcp_listener;
using tinyrt::io::tcp_stream;

namespace {

// Round trip of `size` bytes through an echo server, written in one
// write_all and read back with read_exact: both must cope with the kernel
// splitting the transfer into many partial operations.
task<std::string> echo_round_trip(std::size_t size) {
    tcp_listener listener = tcp_listener::bind();
    auto server = tinyrt::create_task(io_test::echo_server(listener, 1));
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", listener.port());
    std::string sent = io_test::pattern(size, 7);
    // Writer and reader run concurrently: a multi-megabyte write fills both
    // socket buffers and would deadlock against an echo nobody reads.
    auto writer = tinyrt::create_task([](tcp_stream& st, const std::string& bytes) -> task<void> {
        co_await st.write_all(bytes);
        st.shutdown_write();
    }(s, sent));
    std::string back(size, '\0');
    co_await s.read_exact(back);
    co_await writer;
    char extra = 0;
    CHECK(co_await s.read_some(std::span<char>(&extra, 1)) ==
          0);  // the echo ends when we shut down
    co_await server;
    co_return back == sent ? std::string("identical") : std::string("differs");
}

}  // namespace

TEST_CASE("tcp_stream: a small message comes back byte-identical") {
    CHECK(tinyrt::run(echo_round_trip(13)) == "identical");
}

TEST_CASE("tcp_stream: 4 MiB survives partial writes and reads") {
    CHECK(tinyrt::run(echo_round_trip(4u << 20)) == "identical");
}

TEST_CASE("tcp_stream: connecting to a closed port is refused with the system's message") {
    auto attempt = []() -> task<std::string> {
        std::uint16_t port = 0;
        {
            tcp_listener l = tcp_listener::bind();
            port = l.port();
        }  // closed: nothing listens on `port` any more
        try {
            co_await tcp_stream::connect("127.0.0.1", port);
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::connection_refused);
            co_return e.what();
        }
        co_return "connected";
    };
    std::string what = tinyrt::run(attempt());
    CHECK(what.find("Connection refused") != std::string::npos);
}

TEST_CASE("tcp_stream: a bad address is rejected before any socket is made") {
    auto attempt = []() -> task<bool> {
        try {
            co_await tcp_stream::connect("not-an-address", 80);
        } catch (const std::system_error& e) {
            co_return e.code() == std::errc::invalid_argument;
        }
        co_return false;
    };
    CHECK(tinyrt::run(attempt()));
}

TEST_CASE("tcp_stream: a reset by the peer reaches the reader as connection_reset") {
    auto attempt = []() -> task<bool> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();
        // SO_LINGER with a zero timeout turns close() into a RST.
        linger hard{1, 0};
        ::setsockopt(server.native_handle(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        server.close();
        char buf[16];
        try {
            co_await client.read_some(buf);
        } catch (const std::system_error& e) {
            CHECK(std::string(e.what()).find("Connection reset by peer") != std::string::npos);
            co_return e.code() == std::errc::connection_reset;
        }
        co_return false;
    };
    CHECK(tinyrt::run(attempt()));
}

TEST_CASE("tcp_stream: read_exact reports a peer that closes early as end_of_stream") {
    auto attempt = []() -> task<std::string> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();
        co_await server.write_all(std::string_view("abc"));
        server.close();
        char buf[10];
        try {
            co_await client.read_exact(buf);
        } catch (const std::system_error& e) {
            CHECK(e.code() == tinyrt::io::stream_errc::end_of_stream);
            co_return e.what();
        }
        co_return "read all";
    };
    CHECK(tinyrt::run(attempt()).find("3 of 10") != std::string::npos);
}

TEST_CASE("tcp_stream: writing to a peer that is gone fails instead of raising SIGPIPE") {
    auto attempt = []() -> task<bool> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        (co_await listener.accept()).close();
        std::string chunk(64 * 1024, 'x');
        try {
            // The first writes may still land in the kernel's buffer; the
            // peer's RST makes a later one fail.
            for (int i = 0; i < 1000; ++i) co_await client.write_all(chunk);
        } catch (const std::system_error& e) {
            co_return e.code() == std::errc::broken_pipe || e.code() == std::errc::connection_reset;
        }
        co_return false;
    };
    CHECK(tinyrt::run(attempt()));
}

TEST_CASE(
    "tcp_stream: a read on a silent peer times out through wait_for, and the stream still works") {
    auto attempt = []() -> task<std::string> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();
        char buf[16] = {};
        bool timed_out = false;
        try {
            co_await tinyrt::wait_for(client.read_some(buf), 20ms);
        } catch (const tinyrt::timeout_error&) {
            timed_out = true;
        }
        CHECK(timed_out);
        // The timed-out read left no registration behind: a new read on
        // the same descriptor waits and completes normally.
        co_await server.write_all(std::string_view("late"));
        std::size_t n = co_await client.read_some(buf);
        co_return std::string(buf, n);
    };
    CHECK(tinyrt::run(attempt()) == "late");
}

TEST_CASE("tcp_stream: cancelling a task blocked in read ends it with cancelled_error") {
    auto attempt = []() -> task<std::string> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();
        char buf[16] = {};
        auto reader =
            tinyrt::create_task([](tcp_stream& s, std::span<char> b) -> task<std::size_t> {
                co_return co_await s.read_some(b);
            }(client, buf));
        co_await tinyrt::sleep_for(
            1ms);  // let the reader reach epoll (not a synchronisation: either order passes)
        reader.cancel();
        bool cancelled = false;
        try {
            co_await reader;
        } catch (const tinyrt::cancelled_error&) {
            cancelled = true;
        }
        CHECK(cancelled);
        co_await server.write_all(std::string_view("after"));
        std::size_t n = co_await client.read_some(buf);
        co_return std::string(buf, n);
    };
    const int descriptors_before = io_test::open_descriptors();
    CHECK(tinyrt::run(attempt()) == "after");
    CHECK(io_test::open_descriptors() == descriptors_before);
}

TEST_CASE("tcp_stream: a write to a peer that never reads times out through wait_for") {
    auto attempt = []() -> task<bool> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();  // accepted, never read
        // Far more than both socket buffers hold, so write_all must wait.
        std::string flood(64u << 20, 'w');
        try {
            auto writing = client.write_all(flood);
            co_await tinyrt::wait_for(std::move(writing), 50ms);
        } catch (const tinyrt::timeout_error&) {
            co_return true;
        }
        co_return false;
    };
    CHECK(tinyrt::run(attempt()));
}

TEST_CASE("tcp_stream: reading a closed or moved-from stream raises EBADF whatever came before") {
    // The previous read was short (1 byte into a 16-byte buffer): the
    // "socket drained" hint it leaves must not outlive the socket.
    auto attempt = [](bool by_move) -> task<int> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream server = co_await listener.accept();
        co_await server.write_all(std::string_view("x"));
        char buf[16];
        CHECK(co_await client.read_some(buf) == 1);  // short
        tcp_stream other;
        if (by_move) {
            other = std::move(client);
        } else {
            client.close();
        }
        int seen = 0;
        try {
            co_await client.read_some(buf);
        } catch (const std::system_error& e) {
            seen = e.code().value();
        }
        co_return seen;
    };
    CHECK(tinyrt::run(attempt(false)) == EBADF);
    CHECK(tinyrt::run(attempt(true)) == EBADF);
}
