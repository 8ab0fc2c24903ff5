// The README's io example, compiled and run here so it cannot rot: an echo
// server and its client on one loop, a read with a timeout, and the reply
// written to a file on a pool worker.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "tinyrt/tinyrt.hpp"

using namespace std::chrono_literals;

namespace {

// [example: io]
// An echo server: one coroutine per connection.
tinyrt::task<void> echo(tinyrt::io::tcp_stream s) {
    char buf[8192];
    for (;;) {
        std::size_t n = co_await s.read_some(buf);  // 0: the peer closed its side
        if (n == 0) break;
        co_await s.write_all(std::span<const char>(buf, n));
    }
}

tinyrt::task<std::string> hello(tinyrt::pool& disk, std::string path) {
    auto listener = tinyrt::io::tcp_listener::bind("127.0.0.1", 0);  // the kernel picks the port
    auto s = co_await tinyrt::io::tcp_stream::connect("127.0.0.1", listener.port());
    auto server = tinyrt::create_task(echo(co_await listener.accept()));

    co_await s.write_all(std::string_view("hello"));
    char reply[5];
    co_await tinyrt::wait_for(s.read_exact(reply), 500ms);               // timeout_error if late
    co_await tinyrt::io::write_file(disk, path, std::string(reply, 5));  // on a pool worker
    s.close();  // the echo sees end of stream
    co_await server;
    co_return std::string(reply, 5);
}
// int main() { tinyrt::pool disk{{.workers = 1}}; tinyrt::run(hello(disk, "reply.txt")); }
// [end example]

}  // namespace

TEST_CASE("io: the README example echoes, times its read and writes the reply to a file") {
    char dir[] = "/tmp/tinyrt-readme-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    std::string path = std::string(dir) + "/reply.txt";
    tinyrt::pool disk{{.workers = 1}};
    CHECK(tinyrt::run(hello(disk, path)) == "hello");
    char back[16] = {};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    ssize_t n = ::read(fd, back, sizeof back);
    ::close(fd);
    ::unlink(path.c_str());
    ::rmdir(dir);
    CHECK(std::string(back, n > 0 ? static_cast<std::size_t>(n) : 0) == "hello");
}
