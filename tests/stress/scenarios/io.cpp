// io: loopback TCP connections on one loop. Echo rounds: clients of random
// sizes, some of which drop their connection halfway (the server then sees
// an end of stream or a reset); trickle rounds: readers whose reads time
// out at random while a sender trickles bytes with pauses.
// Invariants: every byte a client that stays sends comes back once and in
// order; a read cut short by a timeout consumes nothing (the reader ends
// with every byte); after each round no descriptor is left open.
#include "tinyrt/io.hpp"

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <system_error>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

using tinyrt::task;
using tinyrt::io::tcp_listener;
using tinyrt::io::tcp_stream;

int open_descriptors() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (::readdir(d) != nullptr) ++n;
        ::closedir(d);
    }
    return n;
}

std::string bytes_for(std::size_t size, std::uint64_t seed) {
    std::string s(size, '\0');
    rng r(seed);
    for (auto& c : s) c = static_cast<char>(r.next());
    return s;
}

task<void> join_all(std::vector<task<void>> tasks) {
    co_await tinyrt::gather(std::move(tasks));
}

struct tally {
    std::uint64_t good = 0, bad = 0, resets = 0, timeouts = 0;
};

task<void> echo(context& ctx, tcp_stream s, tally& t) {
    char buf[16384];
    try {
        for (;;) {
            const std::size_t n = co_await s.read_some(buf);
            if (n == 0) co_return;
            co_await s.write_all(std::span<const char>(buf, n));
            ctx.done();
        }
    } catch (const std::system_error&) {
        ++t.resets;  // a client that dropped its connection
    }
}

task<void> echo_server(context& ctx, tcp_listener& l, std::size_t count, tally& t) {
    std::vector<task<void>> conns;
    for (std::size_t i = 0; i < count; ++i) conns.push_back(echo(ctx, co_await l.accept(), t));
    co_await join_all(std::move(conns));
}

task<void> send_then_close_write(tcp_stream& s, const std::string& data) {
    co_await s.write_all(data);
    s.shutdown_write();
}

struct client_plan {
    std::size_t size = 0;
    std::uint64_t seed = 0;
    bool drops = false;  // sends part of it, then closes without reading
};

task<void> echo_client(std::uint16_t port, client_plan c, tally& t) {
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", port);
    const std::string data = bytes_for(c.size, c.seed);
    if (c.drops) {
        co_await s.write_all(std::string_view(data).substr(0, c.size / 2));
        s.close();
        co_return;
    }
    auto writer = tinyrt::create_task(send_then_close_write(s, data));
    std::string back(c.size, '\0');
    co_await s.read_exact(back);
    co_await writer;
    ++(back == data ? t.good : t.bad);
}

void echo_round(context& ctx, rng& r, tally& t, std::uint64_t& expected) {
    std::vector<client_plan> plans(ctx.scaled(r.between(4, 64)));
    for (auto& c : plans) {
        c.size = 1 + r.below(192 * 1024);
        c.seed = r.next();
        c.drops = r.chance(20);
        expected += c.drops ? 0 : 1;
    }
    tinyrt::event_loop loop;
    auto watched = ctx.watch(loop, "io echo");
    tinyrt::run_on(loop, [&]() -> task<void> {
        tcp_listener l = tcp_listener::bind();
        auto server = tinyrt::create_task(echo_server(ctx, l, plans.size(), t));
        std::vector<task<void>> cs;
        for (const client_plan& c : plans) cs.push_back(echo_client(l.port(), c, t));
        co_await join_all(std::move(cs));
        co_await server;
    }());
}

// Sends reader `id`'s bytes in small pieces with pauses, so that the
// reader's timeouts fire before, between and during pieces.
task<void> trickle(tcp_stream s, std::uint64_t seed) {
    char id_text[8];
    co_await s.read_exact(id_text);
    const std::uint64_t id = std::stoull(std::string(id_text, 8), nullptr, 16);
    const std::string data = bytes_for(2000 + id % 3000, seed ^ id);
    rng r(seed ^ id);
    for (std::size_t at = 0; at < data.size();) {
        const std::size_t piece = std::min<std::size_t>(data.size() - at, 1 + r.below(300));
        co_await s.write_all(std::string_view(data).substr(at, piece));
        at += piece;
        co_await tinyrt::sleep_for(std::chrono::microseconds(r.below(400)));
    }
}

task<void> impatient_reader(context& ctx, std::uint16_t port, std::uint64_t id, std::uint64_t seed,
                            tally& t) {
    tcp_stream s = co_await tcp_stream::connect("127.0.0.1", port);
    char id_text[9];
    std::snprintf(id_text, sizeof id_text, "%08llx", static_cast<unsigned long long>(id));
    co_await s.write_all(std::string_view(id_text, 8));
    rng r(seed * 31 + id);
    std::string got;
    char buf[512];
    for (;;) {
        try {
            const std::size_t n = co_await tinyrt::wait_for(
                s.read_some(buf), std::chrono::microseconds(20 + r.below(300)));
            if (n == 0) break;
            got.append(buf, n);
            ctx.done();
        } catch (const tinyrt::timeout_error&) {
            ++t.timeouts;
        }
    }
    ++(got == bytes_for(2000 + id % 3000, seed ^ id) ? t.good : t.bad);
}

void trickle_round(context& ctx, rng& r, tally& t, std::uint64_t& expected) {
    const std::uint64_t readers = ctx.scaled(r.between(2, 32));
    const std::uint64_t seed = r.next();
    expected += readers;
    tinyrt::event_loop loop;
    auto watched = ctx.watch(loop, "io trickle");
    tinyrt::run_on(loop, [&]() -> task<void> {
        tcp_listener l = tcp_listener::bind();
        std::vector<task<void>> rs;
        for (std::uint64_t i = 0; i < readers; ++i)
            rs.push_back(impatient_reader(ctx, l.port(), i, seed, t));
        auto reading = tinyrt::create_task(join_all(std::move(rs)));
        std::vector<task<void>> senders;
        for (std::uint64_t i = 0; i < readers; ++i)
            senders.push_back(trickle(co_await l.accept(), seed));
        co_await join_all(std::move(senders));
        co_await reading;
    }());
}

}  // namespace

void run_io(context& ctx) {
    context::thread_role main_role(ctx, "loop thread");
    tally total;
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        const int before = open_descriptors();
        tally t;
        std::uint64_t expected = 0;
        if (ctx.round() % 2 == 0) {
            context::note("echo round");
            echo_round(ctx, r, t, expected);
        } else {
            context::note("trickle round");
            trickle_round(ctx, r, t, expected);
        }
        ctx.check_lazy(t.good == expected && t.bad == 0, [&] {
            return "io: " + std::to_string(t.bad) + " connections got different bytes back, " +
                   std::to_string(expected - std::min(expected, t.good + t.bad)) + " got none";
        });
        ctx.counted_tasks(0);
        const int after = open_descriptors();
        ctx.check_lazy(after == before, [&] {
            return "io: " + std::to_string(after - before) + " descriptors leaked in the round";
        });
        total.good += t.good;
        total.resets += t.resets;
        total.timeouts += t.timeouts;
    }
    ctx.info("io", "io: " + std::to_string(total.good) + " connections intact, " +
                       std::to_string(total.resets) + " dropped by their client, " +
                       std::to_string(total.timeouts) + " read timeouts");
}

}  // namespace stress
