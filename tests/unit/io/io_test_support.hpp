// Helpers shared by the io tests: a loopback echo peer and byte patterns
// that make any misplaced byte show up in a comparison.
//
// The coroutines here are static, not inline: clang 14 with AddressSanitizer
// fails on coroutines emitted in COMDAT sections ("Cannot represent a
// difference across sections"), which is where inline functions go.
#pragma once

#include <dirent.h>
#include <sys/resource.h>

#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/io.hpp"

namespace io_test {

// Bytes that depend on position and seed, so a reordered, dropped or
// duplicated chunk never compares equal.
inline std::string pattern(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    unsigned x = seed * 2654435761u + 1;
    for (auto& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

// Echoes everything until the client shuts its side down, then closes.
[[maybe_unused]] static tinyrt::task<void> echo_connection(tinyrt::io::tcp_stream s) {
    char buf[8192];
    for (;;) {
        std::size_t n = co_await s.read_some(buf);
        if (n == 0) break;
        co_await s.write_all(std::span<const char>(buf, n));
    }
}

// Runs every task concurrently and waits for all; the first failure is
// rethrown after all have finished (nothing is left running on the loop).
[[maybe_unused]] static tinyrt::task<void> join_all(std::vector<tinyrt::task<void>> tasks) {
    std::vector<decltype(tinyrt::create_task(std::declval<tinyrt::task<void>>()))> running;
    for (auto& t : tasks) running.push_back(tinyrt::create_task(std::move(t)));
    std::exception_ptr first;
    for (auto& r : running) {
        try {
            co_await r;
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

// Accepts `count` connections and echoes on each concurrently.
[[maybe_unused]] static tinyrt::task<void> echo_server(tinyrt::io::tcp_listener& listener,
                                                       int count) {
    std::vector<tinyrt::task<void>> connections;
    for (int i = 0; i < count; ++i)
        connections.push_back(echo_connection(co_await listener.accept()));
    co_await join_all(std::move(connections));
}

// Descriptors this process has open: equal before and after a test means
// nothing was leaked (sockets closed on every path, cancellation included).
inline int open_descriptors() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (::readdir(d) != nullptr) ++n;
        ::closedir(d);
    }
    return n;
}

// Raises the soft descriptor limit to the hard one; returns the new soft limit.
inline rlim_t raise_fd_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
    if (lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    return lim.rlim_cur;
}

}  // namespace io_test
