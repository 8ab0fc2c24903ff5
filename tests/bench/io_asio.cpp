// Boost.Asio's side of bench_io: the same echo server as tinyrt's, written
// the way Asio's own C++20 coroutine examples write it (co_spawn,
// use_awaitable, async_read_some + async_write), on an io_context run by one
// thread with the single-thread concurrency hint.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <functional>

namespace asio = boost::asio;
using asio::ip::tcp;

namespace bench_io {
namespace {

asio::awaitable<void> echo(tcp::socket s) {
    char data[4096];
    try {
        for (;;) {
            std::size_t n = co_await s.async_read_some(asio::buffer(data), asio::use_awaitable);
            co_await asio::async_write(s, asio::buffer(data, n), asio::use_awaitable);
        }
    } catch (const std::exception&) {
        // end of stream (asio::error::eof) or a reset: the connection is done
    }
}

asio::awaitable<void> accept_n(tcp::acceptor& acceptor, int connections) {
    for (int i = 0; i < connections; ++i) {
        tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
        s.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), echo(std::move(s)), asio::detached);
    }
}

}  // namespace

// Serves `connections` connections, then returns once all have closed.
void run_asio_echo_server(int connections, const std::function<void(std::uint16_t)>& ready) {
    asio::io_context ctx(1);
    tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ready(acceptor.local_endpoint().port());
    asio::co_spawn(ctx, accept_n(acceptor, connections), asio::detached);
    ctx.run();
}

}  // namespace bench_io
