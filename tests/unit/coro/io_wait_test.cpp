// wait_ready on pipes: readiness, both directions, hang-up, cancellation.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;

namespace {
struct pipe_pair {
    int r = -1, w = -1;
    pipe_pair() {
        int fds[2];
        REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
        r = fds[0];
        w = fds[1];
    }
    ~pipe_pair() {
        if (r >= 0) ::close(r);
        if (w >= 0) ::close(w);
    }
};
}  // namespace

TEST_CASE("io_wait: a reader wakes when a writer task writes") {
    pipe_pair p;
    auto main = [&]() -> tinyrt::task<int> {
        auto reader = tinyrt::create_task([](int fd) -> tinyrt::task<int> {
            co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
            char c = 0;
            CHECK(::read(fd, &c, 1) == 1);
            co_return c;
        }(p.r));
        co_await tinyrt::sleep_for(2ms);
        CHECK_FALSE(reader.done());  // nothing to read yet
        co_await tinyrt::wait_ready(p.w, tinyrt::io_interest::writable);
        CHECK(::write(p.w, "x", 1) == 1);
        int got = co_await reader;
        tinyrt::forget_fd(p.r);
        tinyrt::forget_fd(p.w);
        co_return got;
    };
    CHECK(tinyrt::run(main()) == 'x');
}

TEST_CASE("io_wait: hang-up counts as ready") {
    pipe_pair p;
    auto main = [&]() -> tinyrt::task<long> {
        auto reader = tinyrt::create_task([](int fd) -> tinyrt::task<long> {
            co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
            char c;
            co_return static_cast<long>(::read(fd, &c, 1));  // 0: end of file
        }(p.r));
        co_await tinyrt::sleep_for(1ms);
        ::close(p.w);
        p.w = -1;
        long n = co_await reader;
        tinyrt::forget_fd(p.r);
        co_return n;
    };
    CHECK(tinyrt::run(main()) == 0);
}

TEST_CASE("io_wait: cancelling a waiter removes it and it sees cancelled_error") {
    pipe_pair p;
    tinyrt::event_loop loop;
    auto main = [&]() -> tinyrt::task<void> {
        auto reader = tinyrt::create_task([](int fd) -> tinyrt::task<void> {
            co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
        }(p.r));
        co_await tinyrt::sleep_for(1ms);
        CHECK(reader.cancel());
        CHECK_THROWS_AS(co_await reader, tinyrt::cancelled_error);
        // The fd can be waited on again afterwards.
        CHECK(::write(p.w, "y", 1) == 1);
        co_await tinyrt::wait_ready(p.r, tinyrt::io_interest::readable);
        tinyrt::forget_fd(p.r);
    };
    tinyrt::run_on(loop, main());
    CHECK(loop.stats().io_waits == 2);
}
