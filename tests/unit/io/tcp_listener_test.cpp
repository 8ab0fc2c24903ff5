// tinyrt::io::tcp_listener: binding, the kernel-chosen port, and one loop
// holding over a thousand connections open at once.
#include <doctest/doctest.h>

#include <cstdio>

#include "io_test_support.hpp"

using tinyrt::task;
using tinyrt::io::tcp_listener;
using tinyrt::io::tcp_stream;

TEST_CASE("tcp_listener: port 0 gets a free port from the kernel, a different one each time") {
    tcp_listener a = tcp_listener::bind();
    tcp_listener b = tcp_listener::bind();
    CHECK(a.port() != 0);
    CHECK(b.port() != 0);
    CHECK(a.port() != b.port());
}

TEST_CASE("tcp_listener: binding a port in use fails with address_in_use") {
    tcp_listener a = tcp_listener::bind();
    bool in_use = false;
    try {
        tcp_listener b = tcp_listener::bind("127.0.0.1", a.port());
    } catch (const std::system_error& e) {
        in_use = e.code() == std::errc::address_in_use;
    }
    CHECK(in_use);
}

TEST_CASE("tcp_listener: accept hands over connections in the order clients wrote to them") {
    auto attempt = []() -> task<std::string> {
        tcp_listener listener = tcp_listener::bind();
        tcp_stream c1 = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream s1 = co_await listener.accept();
        tcp_stream c2 = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream s2 = co_await listener.accept();
        co_await c1.write_all(std::string_view("one"));
        co_await c2.write_all(std::string_view("two"));
        char a[3], b[3];
        co_await s1.read_exact(a);
        co_await s2.read_exact(b);
        co_return std::string(a, 3) + std::string(b, 3);
    };
    CHECK(tinyrt::run(attempt()) == "onetwo");
}

namespace {

constexpr int many = 1000;

// Client i: connect, say who it is, then read its own reply.
task<void> client(std::uint16_t port, int id, int& correct) {
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", port);
    std::string hello = std::to_string(id) + "\n";
    co_await s.write_all(hello);
    std::string expected =
        io_test::pattern(2000 + static_cast<std::size_t>(id), static_cast<unsigned>(id));
    std::string got(expected.size(), '\0');
    co_await s.read_exact(got);
    if (got == expected) ++correct;
}

// Reads "<id>\n" and answers with that client's pattern.
task<void> answer(tcp_stream s) {
    std::string line;
    char c = 0;
    while (co_await s.read_some(std::span<char>(&c, 1)) == 1 && c != '\n') line += c;
    int id = std::stoi(line);
    co_await s.write_all(
        io_test::pattern(2000 + static_cast<std::size_t>(id), static_cast<unsigned>(id)));
}

// Accepts every client before answering any, so all `many` connections are
// provably open at the same time on this one loop.
task<std::size_t> server(tcp_listener& listener) {
    std::vector<tcp_stream> open;
    while (open.size() < many) open.push_back(co_await listener.accept());
    std::size_t at_once = open.size();
    std::vector<task<void>> answers;
    for (auto& s : open) answers.push_back(answer(std::move(s)));
    co_await io_test::join_all(std::move(answers));
    co_return at_once;
}

}  // namespace

TEST_CASE("tcp_listener: 1000 clients connected at once to one loop all get their own bytes") {
    // Each connection costs two descriptors here (client and server end).
    if (io_test::raise_fd_limit() < 2 * many + 64) {
        MESSAGE("skipped: the descriptor hard limit is below " << 2 * many + 64);
        return;
    }
    auto attempt = []() -> task<std::pair<std::size_t, int>> {
        tcp_listener listener = tcp_listener::bind("127.0.0.1", 0, many);
        auto accepted = tinyrt::create_task(server(listener));
        int correct = 0;
        std::vector<task<void>> clients;
        for (int i = 0; i < many; ++i) clients.push_back(client(listener.port(), i, correct));
        co_await io_test::join_all(std::move(clients));
        std::size_t at_once = co_await accepted;
        co_return std::pair{at_once, correct};
    };
    const int descriptors_before = io_test::open_descriptors();
    auto [at_once, correct] = tinyrt::run(attempt());
    CHECK(at_once == many);
    CHECK(correct == many);
    CHECK(io_test::open_descriptors() == descriptors_before);  // all 2000 ends closed
}

TEST_CASE(
    "tcp_listener: an accept with nobody connecting times out, and the listener still accepts") {
    auto attempt = []() -> task<bool> {
        tcp_listener listener = tcp_listener::bind();
        bool timed_out = false;
        try {
            auto waiting = listener.accept();
            co_await tinyrt::wait_for(std::move(waiting), std::chrono::milliseconds(20));
        } catch (const tinyrt::timeout_error&) {
            timed_out = true;
        }
        tcp_stream client = co_await tcp_stream::connect("127.0.0.1", listener.port());
        tcp_stream served = co_await listener.accept();
        co_return timed_out&& served.is_open();
    };
    CHECK(tinyrt::run(attempt()));
}
