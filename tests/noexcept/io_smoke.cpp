// The io layer builds and runs without exceptions or RTTI: a loopback echo
// through tcp_listener/tcp_stream, a read_exact of a large transfer, and a
// file written on a pool worker.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "check.hpp"
#include "tinyrt/tinyrt.hpp"

namespace {

tinyrt::task<void> echo_once(tinyrt::io::tcp_listener& listener) {
    tinyrt::io::tcp_stream s = co_await listener.accept();
    char buf[4096];
    for (;;) {
        std::size_t n = co_await s.read_some(buf);
        if (n == 0) break;
        co_await s.write_all(std::span<const char>(buf, n));
    }
}

tinyrt::task<void> send_all(tinyrt::io::tcp_stream& s, const std::string& bytes) {
    co_await s.write_all(bytes);
    s.shutdown_write();
}

tinyrt::task<bool> round_trip() {
    tinyrt::io::tcp_listener listener = tinyrt::io::tcp_listener::bind();
    auto server = tinyrt::create_task(echo_once(listener));
    tinyrt::io::tcp_stream s =
        co_await tinyrt::io::tcp_stream::connect("127.0.0.1", listener.port());
    std::string sent(1 << 20, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 131 + (i >> 11));
    auto writer = tinyrt::create_task(send_all(s, sent));
    std::string back(sent.size(), '\0');
    co_await s.read_exact(back);
    co_await writer;
    co_await server;
    co_return back == sent;
}

tinyrt::task<void> write_one(tinyrt::pool& workers, std::string path) {
    co_await tinyrt::io::write_file(workers, std::move(path), std::string(300'000, 'z'));
}

}  // namespace

int main() {
    NOEXCEPT_CHECK(tinyrt::run(round_trip()));

    char dir[] = "/tmp/tinyrt-io-smoke-XXXXXX";
    NOEXCEPT_CHECK(::mkdtemp(dir) != nullptr);
    std::string path = std::string(dir) + "/out.bin";
    {
        tinyrt::pool workers{{.workers = 1}};
        tinyrt::run(write_one(workers, path));
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    NOEXCEPT_CHECK(fd >= 0);
    std::size_t total = 0;
    bool all_z = true;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; ++i) all_z = all_z && buf[i] == 'z';
        total += static_cast<std::size_t>(n);
    }
    ::close(fd);
    ::unlink(path.c_str());
    ::rmdir(dir);
    NOEXCEPT_CHECK(total == 300'000);
    NOEXCEPT_CHECK(all_z);
    NOEXCEPT_CHECK(tinyrt::io::write_file_blocking("/nonexistent-dir/x", "y") == ENOENT);
    return 0;
}
