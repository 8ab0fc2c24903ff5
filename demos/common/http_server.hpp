// The demos' loopback web server: serves the generated site (http_site.hpp)
// on 127.0.0.1 from a thread of its own that runs its own tinyrt event loop,
// one coroutine per connection — the same machinery the demos then use as
// clients, standing in for the distant sites of the notebook.
//
// Each request waits `delay` before it is answered (a far-away server's
// latency), concurrently: five requests at once take one delay, not five.
// Fault paths (see http_site.hpp) give 404s, bodies cut in half, and a slow
// answer for timeout tests. One request per connection (Connection: close).
//
// Shutdown protocol (the destructor, on the owner's thread):
//   1. set stopping_ (seq_cst; the loop reads it after each accept);
//   2. connect once to our own port, so the accept the loop is suspended in
//      returns — the loop thread then sees stopping_ and leaves its loop;
//   3. the loop cancels every connection task still running (a slow request
//      would otherwise hold the thread for its whole delay), awaits them all,
//      and closes the listener on its own thread;
//   4. the owner joins the thread.
// Step 2 cannot be lost: if the loop was not yet in accept, its next accept
// finds the queued connection at once; a step-2 connect that fails because
// the loop already left is harmless.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <string_view>
#include <thread>

#include "common/http_site.hpp"

namespace demo::http {

struct server_options {
    std::chrono::milliseconds delay{0};            // before every answer
    std::chrono::milliseconds slow_delay{10'000};  // added for /slow/ paths
};

class server {
public:
    // Binds 127.0.0.1 on a free port and starts serving before it returns.
    explicit server(server_options options = {});
    server(const server&) = delete;
    server& operator=(const server&) = delete;
    ~server();

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    // "http://127.0.0.1:<port><path>"
    [[nodiscard]] std::string url(std::string_view path) const;
    [[nodiscard]] const site& files() const noexcept { return site_; }
    // Requests answered so far (any status), for tests.
    [[nodiscard]] std::size_t requests_answered() const noexcept { return answered_.load(); }

private:
    void run_loop(std::promise<std::uint16_t>& bound);

    server_options options_;
    site site_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> answered_{0};
    std::thread thread_;
};

}  // namespace demo::http
