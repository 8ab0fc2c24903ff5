// Boost.Asio's side of bench_coro: C++20 coroutines on an io_context run by
// one thread (co_spawn, steady_timer, use_awaitable).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "coro_cases.hpp"

namespace asio = boost::asio;

namespace bench_coro {
namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

asio::awaitable<void> sleeper(long& done) {
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(10));
    co_await t.async_wait(asio::use_awaitable);
    ++done;
}

asio::awaitable<int> trivial() {
    co_return 1;
}

asio::awaitable<void> spawn_loop(long n, long& total) {
    auto ex = co_await asio::this_coro::executor;
    for (long i = 0; i < n; ++i)
        total += co_await asio::co_spawn(ex, trivial(), asio::use_awaitable);
}

asio::awaitable<void> await_loop(long n, long& total) {
    for (long i = 0; i < n; ++i) total += co_await trivial();
}

void check(bool ok) {
    if (!ok) {
        std::fprintf(stderr, "bench_coro: asio case gave a wrong result\n");
        std::exit(1);
    }
}

}  // namespace

std::int64_t asio_sleep(long n) {
    const auto start = now_ns();
    asio::io_context ctx(1);
    long done = 0;
    for (long i = 0; i < n; ++i) asio::co_spawn(ctx, sleeper(done), asio::detached);
    ctx.run();
    check(done == n);
    return now_ns() - start;
}

namespace {

// Runs `loop(n, total)` alone on a one-thread io_context; its wall time in ns.
std::int64_t time_loop(asio::awaitable<void> (*loop)(long, long&), long n) {
    asio::io_context ctx(1);
    long total = 0;
    const auto start = now_ns();
    asio::co_spawn(ctx, loop(n, total), asio::detached);
    ctx.run();
    const auto took = now_ns() - start;
    check(total == n);
    return took;
}

}  // namespace

std::int64_t asio_spawn(long n) { return time_loop(spawn_loop, n); }

std::int64_t asio_await(long n) { return time_loop(await_loop, n); }

}  // namespace bench_coro
