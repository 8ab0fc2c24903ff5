// bench_io: echo round trips per second on loopback, many connections at
// once, against one single-threaded server: tinyrt's event loop
// (tinyrt::io::tcp_listener / tcp_stream) and, when Boost is found, Boost.Asio
// with C++20 coroutines. Both servers run the same protocol and face the same
// load generator (a plain epoll client on its own thread), and the runs
// alternate tinyrt / Asio so that machine noise hits both alike.
//
// Each run: C connections each keep one M-byte message in flight (send,
// wait for the whole echo, send again) for D seconds after a short warm-up;
// the result is completed round trips per second. Medians over R runs.
// The server thread's own CPU time (getrusage RUSAGE_THREAD) divided by the
// round trips it served splits the cost into user time (the runtime: loop,
// coroutines, wrappers) and system time (the kernel's TCP and epoll), which
// shows what the runtime itself costs when the total is kernel-bound.
//
// Usage: bench_io [--connections C] [--bytes M] [--seconds D] [--runs R]
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/tinyrt.hpp"

namespace bench_io {
#if TINYRT_BENCH_HAVE_ASIO
void run_asio_echo_server(int connections, const std::function<void(std::uint16_t)>& ready);
#endif
}  // namespace bench_io

namespace {

struct settings {
    int connections = 100;
    int bytes = 64;
    double seconds = 1.0;
    int runs = 5;
};

// ---- tinyrt's server: the loop, one coroutine per connection -------------

tinyrt::task<void> echo(tinyrt::io::tcp_stream s) {
    char data[4096];
    try {
        for (;;) {
            std::size_t n = co_await s.read_some(data);
            if (n == 0) break;
            co_await s.write_all(std::span<const char>(data, n));
        }
    } catch (const std::system_error&) {
        // a reset: the connection is done
    }
}

tinyrt::task<void> serve(int connections, const std::function<void(std::uint16_t)>& ready) {
    tinyrt::io::tcp_listener listener = tinyrt::io::tcp_listener::bind("127.0.0.1", 0, 1024);
    ready(listener.port());
    std::vector<tinyrt::task_handle<void>> open;
    for (int i = 0; i < connections; ++i)
        open.push_back(tinyrt::create_task(echo(co_await listener.accept())));
    for (auto& c : open) co_await c;
}

void run_tinyrt_echo_server(int connections, const std::function<void(std::uint16_t)>& ready) {
    tinyrt::run(serve(connections, ready));
}

// ---- the load generator, shared by both servers ---------------------------

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "bench_io: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

struct connection {
    int fd = -1;
    int received = 0;  // bytes of the current echo received so far
};

struct load_result {
    double rate = 0;      // round trips per second in the measured window
    long long total = 0;  // round trips over the whole run, warm-up included
};

// Drives `s.connections` clients against 127.0.0.1:port; returns round trips
// per second measured over s.seconds after a warm-up of a fifth of that.
load_result generate_load(std::uint16_t port, const settings& s) {
    int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    std::vector<connection> conns(static_cast<std::size_t>(s.connections));
    std::string message(static_cast<std::size_t>(s.bytes), 'x');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (std::size_t i = 0; i < conns.size(); ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
                          0);  // blocking connect: set-up, not measured
        if (fd < 0) die("socket");
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
            die("connect");
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[i].fd = fd;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        if (::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
        // Messages are small enough for one send into an empty buffer.
        if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) != s.bytes) die("send");
    }
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto measure_from = start + std::chrono::duration<double>(s.seconds / 5);
    const auto end = measure_from + std::chrono::duration<double>(s.seconds);
    long long completed = 0, total = 0;
    bool measuring = false;
    std::vector<epoll_event> events(conns.size());
    char buf[65536];
    for (;;) {
        auto now = clock::now();
        if (!measuring && now >= measure_from) {
            measuring = true;
            completed = 0;
        }
        if (now >= end) break;
        int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
        for (int e = 0; e < n; ++e) {
            connection& c = conns[events[static_cast<std::size_t>(e)].data.u64];
            ssize_t got = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                die("recv (server went away)");
            }
            c.received += static_cast<int>(got);
            if (c.received < s.bytes) continue;
            c.received = 0;
            ++completed;
            ++total;
            if (::send(c.fd, message.data(), message.size(), MSG_NOSIGNAL) != s.bytes) die("send");
        }
    }
    const double elapsed = std::chrono::duration<double>(clock::now() - measure_from).count();
    for (auto& c : conns) ::close(c.fd);  // the servers' echo tasks see end of stream and finish
    ::close(ep);
    return {static_cast<double>(completed) / elapsed, total};
}

struct run_result {
    double rate = 0;     // round trips per second
    double user_ns = 0;  // server thread's user CPU per round trip
    double sys_ns = 0;   // server thread's system CPU per round trip
};

double ns_of(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) * 1e9 + static_cast<double>(tv.tv_usec) * 1e3;
}

run_result run_once(void (*server)(int, const std::function<void(std::uint16_t)>&),
                    const settings& s) {
    std::promise<std::uint16_t> bound;
    std::future<std::uint16_t> port = bound.get_future();
    rusage usage{};
    std::thread t([&] {
        server(s.connections, [&](std::uint16_t p) { bound.set_value(p); });
        ::getrusage(RUSAGE_THREAD, &usage);  // this thread's CPU: the server's own
    });
    load_result load = generate_load(port.get(), s);
    t.join();
    const double n = static_cast<double>(std::max(load.total, 1LL));
    return {load.rate, ns_of(usage.ru_utime) / n, ns_of(usage.ru_stime) / n};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

settings parse(int argc, char** argv) {
    settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        double v = std::atof(argv[i + 1]);
        if (flag == "--connections")
            s.connections = static_cast<int>(v);
        else if (flag == "--bytes")
            s.bytes = static_cast<int>(v);
        else if (flag == "--seconds")
            s.seconds = v;
        else if (flag == "--runs")
            s.runs = static_cast<int>(v);
        else {
            std::fprintf(stderr, "bench_io: unknown flag %s\n", argv[i]);
            std::exit(2);
        }
    }
    if ((argc - 1) % 2 != 0 || s.connections < 1 || s.bytes < 1 || s.bytes > 60000 ||
        s.seconds <= 0 || s.runs < 1) {
        std::fprintf(stderr,
                     "usage: bench_io [--connections C>=1] [--bytes 1..60000] [--seconds D>0] "
                     "[--runs R>=1]\n");
        std::exit(2);
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    settings s = parse(argc, argv);
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;  // two descriptors per connection, plus the listener
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    std::printf(
        "bench_io: echo round trips on 127.0.0.1, %d connections, %d-byte messages, %.1f s x %d "
        "runs,\n"
        "one server thread each, same epoll load generator on a second thread\n\n",
        s.connections, s.bytes, s.seconds, s.runs);
    std::vector<double> tinyrt_rates, asio_rates, tinyrt_user, asio_user, tinyrt_sys, asio_sys;
    for (int r = 0; r < s.runs; ++r) {
        run_result one = run_once(&run_tinyrt_echo_server, s);
        tinyrt_rates.push_back(one.rate);
        tinyrt_user.push_back(one.user_ns);
        tinyrt_sys.push_back(one.sys_ns);
#if TINYRT_BENCH_HAVE_ASIO
        run_result peer = run_once(&bench_io::run_asio_echo_server, s);
        asio_rates.push_back(peer.rate);
        asio_user.push_back(peer.user_ns);
        asio_sys.push_back(peer.sys_ns);
#endif
    }
    const double t = median(tinyrt_rates);
    std::printf("%-34s %14s %18s %17s\n", "server (medians)", "round trips/s", "server user ns/rt",
                "server sys ns/rt");
    std::printf("%-34s %14.0f %18.0f %17.0f\n", "tinyrt loop (tcp_stream)", t, median(tinyrt_user),
                median(tinyrt_sys));
#if TINYRT_BENCH_HAVE_ASIO
    const double a = median(asio_rates);
    std::printf("%-34s %14.0f %18.0f %17.0f\n", "Boost.Asio coroutines (io_context)", a,
                median(asio_user), median(asio_sys));
    // Each tinyrt run is paired with the Asio run right after it, so the
    // median of the pairs' ratios cancels slow drifts in machine load.
    std::vector<double> pair_ratios;
    for (std::size_t i = 0; i < tinyrt_rates.size(); ++i)
        pair_ratios.push_back(tinyrt_rates[i] / asio_rates[i]);
    std::printf(
        "\nratio tinyrt / Asio: %.2fx of the medians, %.2fx median of paired runs (target >= "
        "1.10)\nserver user CPU per round trip, Asio / tinyrt: %.2fx\n",
        t / a, median(pair_ratios), median(asio_user) / median(tinyrt_user));
#else
    std::printf("\n(Boost >= 1.81 not found: no Asio comparison)\n");
#endif
    std::printf("runs (tinyrt):");
    for (double v : tinyrt_rates) std::printf(" %.0f", v);
#if TINYRT_BENCH_HAVE_ASIO
    std::printf("\nruns (Asio):  ");
    for (double v : asio_rates) std::printf(" %.0f", v);
#endif
    std::printf("\n");
    return 0;
}
