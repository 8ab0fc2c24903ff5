#include "common/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <vector>

#include "common/http_message.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/io.hpp"

namespace demo::http {
namespace {

using tinyrt::io::tcp_listener;
using tinyrt::io::tcp_stream;

struct answer {
    int status = 200;
    std::string_view reason = "OK";
    std::string_view content_type = "text/plain; charset=utf-8";
    std::string_view body;
};

constexpr std::string_view not_found_body = "404 Not Found\n";
constexpr std::string_view bad_request_body = "400 Bad Request\n";
constexpr std::string_view bad_method_body = "405 Method Not Allowed\n";

// Reads one request head. nullopt: the client left without asking anything.
tinyrt::task<std::optional<std::string>> read_head(tcp_stream& s) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
        if (auto end = find_head_end(buffer)) {
            buffer.resize(*end);  // a GET has no body; anything after is ignored
            co_return buffer;
        }
        if (buffer.size() > max_head_bytes) throw http_error("request head larger than 16 KiB");
        std::size_t n = co_await s.read_some(chunk);
        if (n == 0) {
            if (buffer.empty()) co_return std::nullopt;
            throw http_error("request truncated");
        }
        buffer.append(chunk, n);
    }
}

// One connection: read the request, wait the configured delay, answer, close.
tinyrt::task<void> serve_connection(tcp_stream s, const site& files, server_options options,
                                    std::atomic<std::size_t>& answered) {
    answer a;
    fault kind = fault::none;
    try {
        std::optional<std::string> head = co_await read_head(s);
        if (!head) co_return;
        request_head req = parse_request_head(*head);
        routed_target target = route(req.target);
        kind = target.kind;
        if (req.method != "GET") {
            a = {405, "Method Not Allowed", "text/plain; charset=utf-8", bad_method_body};
        } else if (const site_file* f = files.find(target.path)) {
            a = {200, "OK", f->content_type, f->body};
        } else {
            a = {404, "Not Found", "text/plain; charset=utf-8", not_found_body};
        }
    } catch (const http_error&) {
        a = {400, "Bad Request", "text/plain; charset=utf-8", bad_request_body};
    } catch (const std::system_error&) {
        co_return;  // the client reset the connection: nobody to answer
    }

    co_await tinyrt::sleep_for(options.delay);
    if (kind == fault::slow) co_await tinyrt::sleep_for(options.slow_delay);

    std::string response = format_response_head(a.status, a.reason, a.body.size(), a.content_type);
    if (kind == fault::malformed) {
        // A broken server: the same answer without its Content-Length line.
        std::size_t at = response.find("Content-Length:");
        response.erase(at, response.find("\r\n", at) + 2 - at);
    }
    // A truncated answer promises the full length but carries half of it,
    // then the connection closes: the client must notice the missing bytes.
    std::size_t body_bytes = kind == fault::truncated ? a.body.size() / 2 : a.body.size();
    response.append(a.body.substr(0, body_bytes));
    try {
        co_await s.write_all(response);
    } catch (const std::system_error&) {
        // The client gave up (timed out, reset): its side reports the error.
    }
    answered.fetch_add(1);
    s.close();
}

}  // namespace

server::server(server_options options) : options_(options) {
    // The listener is made on the loop thread, so it is registered with,
    // waited on and closed by that loop only; the port (or the bind error)
    // comes back through the promise.
    std::promise<std::uint16_t> bound;
    std::future<std::uint16_t> port = bound.get_future();
    thread_ = std::thread([this, promise = std::move(bound)]() mutable { run_loop(promise); });
    try {
        port_ = port.get();
    } catch (...) {
        thread_.join();
        throw;
    }
}

server::~server() {
    stopping_.store(true);
    // Wake the accept the loop is suspended in (protocol step 2).
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port_);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        (void)::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
        ::close(fd);
    }
    thread_.join();
}

std::string server::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void server::run_loop(std::promise<std::uint16_t>& bound) {
    auto serve = [](server& self, std::promise<std::uint16_t>& ready) -> tinyrt::task<void> {
        std::optional<tcp_listener> listener;
        try {
            listener.emplace(tcp_listener::bind("127.0.0.1", 0));
        } catch (...) {
            ready.set_exception(std::current_exception());
            co_return;
        }
        ready.set_value(listener->port());

        std::vector<tinyrt::task_handle<void>> connections;
        while (!self.stopping_.load()) {
            std::optional<tcp_stream> s;
            try {
                s.emplace(co_await listener->accept());
            } catch (const std::system_error&) {
                // Out of descriptors (EMFILE) or similar: let connections
                // finish and free some, then accept again.
            }
            if (!s) {
                co_await tinyrt::sleep_for(std::chrono::milliseconds(10));
                continue;
            }
            if (self.stopping_.load()) break;  // the wake-up connection of step 2
            // Finished connections need no cancelling: drop their handles so
            // a long-running server does not accumulate them.
            std::erase_if(connections, [](const auto& c) { return c.done(); });
            connections.push_back(tinyrt::create_task(
                serve_connection(std::move(*s), self.site_, self.options_, self.answered_)));
        }
        listener->close();
        for (auto& c : connections) c.cancel();  // protocol step 3
        for (auto& c : connections) {
            try {
                co_await c;
            } catch (...) {
                // cancelled_error, or a failure already answered for: the
                // server is going away either way.
            }
        }
    };
    tinyrt::run(serve(*this, bound));
}

}  // namespace demo::http
