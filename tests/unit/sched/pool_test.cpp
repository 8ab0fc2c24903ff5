#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/fork_join.hpp"
#include "tinyrt/sched.hpp"

TEST_CASE("spawn and join return the task's value") {
    tinyrt::pool pool{{.workers = 2}};
    auto h = pool.spawn([] { return 41 + 1; });
    CHECK(h.joinable());
    CHECK(h.join() == 42);
    CHECK_FALSE(h.joinable());
}

TEST_CASE("join of a void task and of a move-only result") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> ran{0};
    pool.spawn([&] { ran.fetch_add(1); }).join();
    CHECK(ran.load() == 1);
    auto h = pool.spawn([] { return std::make_unique<std::string>("ok"); });
    CHECK(*h.join() == "ok");
}

TEST_CASE("an exception thrown by a task reaches join()") {
    tinyrt::pool pool{{.workers = 2}};
    auto h = pool.spawn([]() -> int { throw std::runtime_error("boom"); });
    CHECK_THROWS_WITH_AS(h.join(), "boom", std::runtime_error);
}

TEST_CASE("join on an empty handle is an error") {
    tinyrt::join_handle<int> h;
    CHECK_THROWS_AS(h.join(), std::logic_error);
}

TEST_CASE("fib with a task_group gives the right value on 1, 2 and 4 workers") {
    for (unsigned n : {1U, 2U, 4U}) {
        CAPTURE(n);
        tinyrt::pool pool{{.workers = n}};
        int r = pool.spawn([&] { return test_support::fib(pool, 20); }).join();
        CHECK(r == test_support::fib_plain(20));
    }
}

TEST_CASE("a task_group waited on from outside the pool") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> sum{0};
    tinyrt::task_group g{pool};
    for (int i = 1; i <= 100; ++i) g.spawn([&sum, i] { sum.fetch_add(i); });
    g.wait();
    CHECK(sum.load() == 5050);
}

TEST_CASE("map keeps the input order") {
    tinyrt::pool pool{{.workers = 3}};
    auto r = pool.map([](int x) { return x + 1; }, {1, 2, 3});
    CHECK(r == std::vector<int>{2, 3, 4});
    std::vector<int> big(100000);
    for (int i = 0; i < 100000; ++i) big[static_cast<std::size_t>(i)] = i;
    auto sq = pool.map([](int x) { return static_cast<long>(x) * 2; }, big);
    REQUIRE(sq.size() == big.size());
    bool ok = true;
    for (std::size_t i = 0; i < sq.size(); ++i) ok = ok && sq[i] == 2 * static_cast<long>(i);
    CHECK(ok);
}
