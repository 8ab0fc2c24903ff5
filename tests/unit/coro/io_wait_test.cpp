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

namespace {
// Reads one byte from a non-blocking fd, waiting in between; a wait may
// return spuriously (EAGAIN), so it is retried, at most `tries` times.
tinyrt::task<int> read_one(int fd, int tries) {
    for (int i = 0; i < tries; ++i) {
        co_await tinyrt::wait_ready(fd, tinyrt::io_interest::readable);
        char c = 0;
        if (::read(fd, &c, 1) == 1) co_return c;
    }
    co_return -1;
}

tinyrt::task<void> write_one_later(int fd, char c) {
    co_await tinyrt::sleep_for(1ms);
    CHECK(::write(fd, &c, 1) == 1);
}
}  // namespace

TEST_CASE("io_wait: an fd closed without forget_fd and reused for a new pipe still wakes") {
    auto main = []() -> tinyrt::task<int> {
        int old_read_fd = -1;
        {
            pipe_pair old;
            CHECK(::write(old.w, "a", 1) == 1);
            CHECK(co_await read_one(old.r, 10) == 'a');  // registered with the loop
            old_read_fd = old.r;
        }                 // both ends closed, forget_fd never called
        pipe_pair fresh;  // the lowest free numbers: the same ones
        REQUIRE(fresh.r == old_read_fd);
        auto writer = tinyrt::create_task(write_one_later(fresh.w, 'b'));
        // Without the registration check this sleeps on the dead file's
        // registration for ever; wait_for turns that into a failure.
        int got = co_await tinyrt::wait_for(read_one(fresh.r, 10), 10s);
        co_await writer;
        tinyrt::forget_fd(fresh.r);
        co_return got;
    };
    CHECK(tinyrt::run(main()) == 'b');
}

TEST_CASE("io_wait: a hang-up remembered for a closed fd does not carry over to its reuse") {
    auto main = []() -> tinyrt::task<int> {
        int old_read_fd = -1;
        {
            pipe_pair old;
            ::close(old.w);
            old.w = -1;
            co_await tinyrt::wait_ready(old.r, tinyrt::io_interest::readable);
            char c;
            CHECK(::read(old.r, &c, 1) == 0);  // end of file, remembered by the loop
            co_await tinyrt::wait_ready(old.r, tinyrt::io_interest::readable);  // returns at once
            old_read_fd = old.r;
        }
        pipe_pair fresh;
        REQUIRE(fresh.r == old_read_fd);
        auto writer = tinyrt::create_task(write_one_later(fresh.w, 'c'));
        // A stale hang-up would make every wait return at once: the reads
        // would see EAGAIN until the tries ran out, and the writer would
        // never get to run.
        int got = co_await tinyrt::wait_for(read_one(fresh.r, 10), 10s);
        co_await writer;
        tinyrt::forget_fd(fresh.r);
        co_return got;
    };
    CHECK(tinyrt::run(main()) == 'c');
}
