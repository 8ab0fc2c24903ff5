// Stress for the io layer (label `stress`; size scaled by the environment
// variable TINYRT_STRESS_SCALE, default 1). Invariants checked:
//  - every byte sent arrives once, in order, on every connection;
//  - a read cut short by a timeout consumes nothing: the bytes it did not
//    return are read by the next call (cancellation loses no data);
//  - after everything is closed no descriptor is left open (no leaks in
//    connect, accept, or the cancelled paths).
#include <dirent.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/io.hpp"

using namespace std::chrono_literals;
using tinyrt::task;
using tinyrt::io::tcp_listener;
using tinyrt::io::tcp_stream;

namespace {

long scale() {
    const char* s = std::getenv("TINYRT_STRESS_SCALE");
    const long v = s != nullptr ? std::strtol(s, nullptr, 10) : 1;
    return v > 0 ? v : 1;
}

int open_descriptors() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (::readdir(d) != nullptr) ++n;
        ::closedir(d);
    }
    return n;
}

std::string bytes_for(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    std::minstd_rand r(seed + 1);
    for (auto& c : s) c = static_cast<char>(r());
    return s;
}

task<void> join_all(std::vector<task<void>> tasks) {
    std::vector<tinyrt::task_handle<void>> running;
    for (auto& t : tasks) running.push_back(tinyrt::create_task(std::move(t)));
    for (auto& r : running) co_await r;
}

task<void> echo(tcp_stream s) {
    char buf[16384];
    for (;;) {
        std::size_t n = co_await s.read_some(buf);
        if (n == 0) co_return;
        co_await s.write_all(std::span<const char>(buf, n));
    }
}

task<void> echo_server(tcp_listener& l, int count) {
    std::vector<task<void>> conns;
    for (int i = 0; i < count; ++i) conns.push_back(echo(co_await l.accept()));
    co_await join_all(std::move(conns));
}

task<void> send_then_close_write(tcp_stream& s, const std::string& data) {
    co_await s.write_all(data);
    s.shutdown_write();
}

task<void> echo_client(std::uint16_t port, std::size_t size, unsigned seed, long& good) {
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", port);
    std::string data = bytes_for(size, seed);
    auto writer = tinyrt::create_task(send_then_close_write(s, data));
    std::string back(size, '\0');
    co_await s.read_exact(back);
    co_await writer;
    if (back == data) ++good;
}

}  // namespace

TEST_CASE("io stress: rounds of concurrent echo connections of random sizes arrive intact") {
    const int before = open_descriptors();
    const int rounds = static_cast<int>(4 * scale());
    const int clients = 64;
    long good = 0;
    std::mt19937 rng(42);
    for (int r = 0; r < rounds; ++r) {
        std::vector<std::size_t> sizes;
        for (int c = 0; c < clients; ++c) sizes.push_back(1 + rng() % (192 * 1024));
        tinyrt::run([](const std::vector<std::size_t>& sz, int round, long& ok) -> task<void> {
            tcp_listener l = tcp_listener::bind();
            auto server = tinyrt::create_task(echo_server(l, static_cast<int>(sz.size())));
            std::vector<task<void>> cs;
            for (std::size_t i = 0; i < sz.size(); ++i)
                cs.push_back(echo_client(l.port(), sz[i],
                                         static_cast<unsigned>(round * 1000 + static_cast<int>(i)),
                                         ok));
            co_await join_all(std::move(cs));
            co_await server;
        }(sizes, r, good));
    }
    CHECK(good == static_cast<long>(rounds) * clients);
    CHECK(open_descriptors() == before);
}

namespace {

std::size_t size_of_stream(unsigned id) {
    return 4000 + id * 37;
}

// Learns which reader it serves from the id the reader sends first, then
// sends that reader's bytes in small pieces with pauses, so the reader's
// timeouts fire between, before and during pieces.
task<void> trickle(tcp_stream s) {
    char id_text[4];
    co_await s.read_exact(id_text);
    unsigned id = static_cast<unsigned>(std::stoul(std::string(id_text, 4)));
    std::string data = bytes_for(size_of_stream(id), id);
    std::minstd_rand r(id);
    for (std::size_t at = 0; at < data.size();) {
        std::size_t piece = std::min<std::size_t>(data.size() - at, 1 + r() % 300);
        co_await s.write_all(std::string_view(data).substr(at, piece));
        at += piece;
        co_await tinyrt::sleep_for(std::chrono::microseconds(r() % 400));
    }
}

// Reads everything through reads that time out at random. A timed-out read
// must have consumed nothing, so what arrives in the end is all of it.
task<void> impatient_reader(std::uint16_t port, unsigned id, long& good, long& timeouts) {
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", port);
    char id_text[5];
    std::snprintf(id_text, sizeof id_text, "%04u", id);
    co_await s.write_all(std::string_view(id_text, 4));
    std::minstd_rand r(id * 7 + 3);
    std::string got;
    char buf[512];
    for (;;) {
        try {
            auto read = s.read_some(buf);
            std::size_t n = co_await tinyrt::wait_for(std::move(read),
                                                      std::chrono::microseconds(50 + r() % 300));
            if (n == 0) break;
            got.append(buf, n);
        } catch (const tinyrt::timeout_error&) {
            ++timeouts;
        }
    }
    if (got == bytes_for(size_of_stream(id), id)) ++good;
}

}  // namespace

TEST_CASE("io stress: reads cancelled by timeouts at random points lose no byte") {
    const int before = open_descriptors();
    const int clients = static_cast<int>(std::min(32 * scale(), 9999L));
    long good = 0, timeouts = 0;
    tinyrt::run([](int n, long& ok, long& to) -> task<void> {
        tcp_listener l = tcp_listener::bind();
        std::vector<task<void>> readers;
        for (int i = 0; i < n; ++i)
            readers.push_back(impatient_reader(l.port(), static_cast<unsigned>(i), ok, to));
        auto reading = tinyrt::create_task(join_all(std::move(readers)));
        std::vector<task<void>> senders;
        for (int i = 0; i < n; ++i) senders.push_back(trickle(co_await l.accept()));
        co_await join_all(std::move(senders));
        co_await reading;
    }(clients, good, timeouts));
    CHECK(good == clients);
    MESSAGE("read timeouts: " << timeouts);
    CHECK(timeouts > 0);  // the test exercised what it claims to
    CHECK(open_descriptors() == before);
}
