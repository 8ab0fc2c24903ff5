// Waiting inside workers: join() and task_group::wait() run other tasks
// instead of blocking, so nested fork-join works on one worker; failures
// reach whoever waits, or stderr when nobody does.
#include <doctest/doctest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fork_join.hpp"
#include "tinyrt/sched.hpp"

TEST_CASE("join() from inside a worker runs other tasks while it waits (1 worker)") {
    tinyrt::pool pool{{.workers = 1}};
    int sum = pool.spawn([&] {
                      std::vector<tinyrt::join_handle<int>> hs;
                      for (int i = 1; i <= 100; ++i) hs.push_back(pool.spawn([i] { return i; }));
                      int s = 0;
                      for (auto& h : hs)
                          s += h.join();  // would deadlock if join blocked the only worker
                      return s;
                  })
                  .join();
    CHECK(sum == 5050);
}

TEST_CASE("a dropped join_handle detaches: the task still runs") {
    std::atomic<int> ran{0};
    tinyrt::pool pool{{.workers = 2}};
    for (int i = 0; i < 50; ++i) pool.spawn([&] { ran.fetch_add(1); });
    pool.spawn([] {}).join();
    tinyrt::task_group g{pool};
    g.spawn([] {});
    g.wait();
    // Not synchronisation: wait for the detached ones by joining a barrier task per worker.
    while (ran.load() < 50) pool.spawn([] {}).join();
    CHECK(ran.load() == 50);
}

TEST_CASE("a binary fork-join tree of depth 16 is exact on 1, 2 and 4 workers") {
    for (unsigned n : {1U, 2U, 4U}) {
        CAPTURE(n);
        tinyrt::pool pool{{.workers = n}};
        CHECK(pool.spawn([&] { return test_support::tree(pool, 16); }).join() == (1L << 16));
    }
}

TEST_CASE("task_group::wait rethrows the first exception after every child finished") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> finished{0};
    tinyrt::task_group g{pool};
    for (int i = 0; i < 20; ++i) {
        g.spawn([&, i] {
            finished.fetch_add(1);
            if (i == 7) throw std::runtime_error("child 7 failed");
        });
    }
    CHECK_THROWS_WITH_AS(g.wait(), "child 7 failed", std::runtime_error);
    CHECK(finished.load() == 20);
    g.spawn([&] { finished.fetch_add(1); });  // the group is reusable after the error
    CHECK_NOTHROW(g.wait());
    CHECK(finished.load() == 21);
}

TEST_CASE("map propagates an exception thrown by f") {
    tinyrt::pool pool{{.workers = 2}};
    std::vector<int> v(1000, 1);
    v[500] = -1;
    auto f = [](int x) {
        if (x < 0) throw std::invalid_argument("negative item");
        return x;
    };
    CHECK_THROWS_WITH_AS(pool.map(f, v), "negative item", std::invalid_argument);
}

TEST_CASE("map from inside a worker and over an empty range") {
    tinyrt::pool pool{{.workers = 2}};
    auto r = pool.spawn([&] {
                     return pool.map([](int x) { return x * 3; }, std::vector<int>{1, 2, 3, 4});
                 })
                 .join();
    CHECK(r == std::vector<int>{3, 6, 9, 12});
    CHECK(pool.map([](int x) { return x; }, std::vector<int>{}).empty());
}

TEST_CASE("a closure larger than the task block's buffer still works") {
    tinyrt::pool pool{{.workers = 2}};
    std::array<long, 64> big{};
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<long>(i);
    long s = pool.spawn([big] {
                     long t = 0;
                     for (long x : big) t += x;
                     return t;
                 })
                 .join();
    CHECK(s == 63 * 64 / 2);
    std::atomic<long> gs{0};
    tinyrt::task_group g{pool};
    g.spawn([big, &gs] { gs.fetch_add(big[63]); });
    g.wait();
    CHECK(gs.load() == 63);
}

namespace {

// A closure whose copy throws, to check that a failed spawn leaks nothing.
struct throws_on_copy {
    throws_on_copy() = default;
    throws_on_copy(const throws_on_copy&) { throw std::runtime_error("copy failed"); }
    void operator()() const {}
};

}  // namespace

TEST_CASE("a spawn whose closure cannot be copied fails cleanly and the pool goes on") {
    tinyrt::pool pool{{.workers = 2}};
    const throws_on_copy f;
    CHECK_THROWS_WITH_AS(pool.spawn(f), "copy failed", std::runtime_error);
    tinyrt::task_group g{pool};
    CHECK_THROWS_WITH_AS(g.spawn(f), "copy failed", std::runtime_error);
    g.wait();  // nothing was counted for the failed spawn
    CHECK(pool.spawn([] { return 5; }).join() == 5);
}

TEST_CASE("a detached task that fails is reported on stderr, not dropped silently") {
    // Capture stderr in a pipe for the duration of the pool.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::fflush(stderr);
    int saved = ::dup(2);
    REQUIRE(::dup2(fds[1], 2) == 2);
    {
        tinyrt::pool pool{{.workers = 1}};
        pool.spawn([]() -> int { throw std::runtime_error("nobody joins me"); });  // dropped
    }  // the destructor runs the task
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    ::close(fds[1]);
    std::string text;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    CHECK(text.find("tinyrt: a detached task failed: nobody joins me") != std::string::npos);
}
