// tinyrt::join (sched/fork_join.hpp): both results, void closures, the
// exceptions of either side, nested joins, a stolen second closure, calls
// from outside every pool, and joins mixed with task_group.
#include "support/fork_join.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <variant>

#include "tinyrt/sched.hpp"

namespace {

int fib_join(int n) {
    if (n < 2) return n;
    auto [a, b] = tinyrt::join([n] { return fib_join(n - 2); }, [n] { return fib_join(n - 1); });
    return a + b;
}

long tree_join(int depth) {
    if (depth == 0) return 1;
    auto [l, r] =
        tinyrt::join([=] { return tree_join(depth - 1); }, [=] { return tree_join(depth - 1); });
    return l + r;
}

// Calls a with b's job offered to the other workers, and keeps pushing and
// popping (tiny nested joins, which serve steal requests) until b has
// started elsewhere: the second closure is then certainly stolen.
template <typename B>
auto join_with_stolen_b(B&& b, std::atomic<bool>& b_started) {
    return tinyrt::join(
        [&] {
            while (!b_started.load()) (void)tinyrt::join([] { return 0; }, [] { return 0; });
            return std::this_thread::get_id();
        },
        std::forward<B>(b));
}

}  // namespace

TEST_CASE("join returns both results, in order") {
    tinyrt::pool pool{{.workers = 2}};
    auto r = pool.spawn([] {
                     return tinyrt::join([] { return std::string("left"); }, [] { return 42; });
                 })
                 .join();
    CHECK(r.first == "left");
    CHECK(r.second == 42);
}

TEST_CASE("join of void closures gives std::monostate and runs each once") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> a{0};
    std::atomic<int> b{0};
    pool.spawn([&] {
            auto r = tinyrt::join([&] { a.fetch_add(1); }, [&] { b.fetch_add(1); });
            static_assert(std::is_same_v<decltype(r), std::pair<std::monostate, std::monostate>>);
            auto mixed = tinyrt::join([&] { a.fetch_add(1); }, [] { return 7; });
            CHECK(mixed.second == 7);
        })
        .join();
    CHECK(a.load() == 2);
    CHECK(b.load() == 1);
}

TEST_CASE("join outside every pool runs a, then b, on the calling thread") {
    std::thread::id here = std::this_thread::get_id();
    int order = 0;
    auto [x, y] = tinyrt::join(
        [&] {
            CHECK(order++ == 0);
            return std::this_thread::get_id();
        },
        [&] {
            CHECK(order++ == 1);
            return std::this_thread::get_id();
        });
    CHECK(x == here);
    CHECK(y == here);
    CHECK(fib_join(15) == test_support::fib_plain(15));
}

TEST_CASE("nested joins compute fib and a full tree on 1 and 2 workers") {
    for (unsigned workers : {1U, 2U}) {
        tinyrt::pool pool{{.workers = workers}};
        CHECK(pool.spawn([] { return fib_join(22); }).join() == test_support::fib_plain(22));
        CHECK(pool.spawn([] { return tree_join(14); }).join() == (1L << 14));
    }
}

TEST_CASE("a stolen second closure runs on another worker and its result comes back") {
    tinyrt::pool pool{{.workers = 2}};
    for (int round = 0; round < 20; ++round) {
        std::atomic<bool> b_started{false};
        auto [a_thread, b_thread] = pool.spawn([&] {
                                            return join_with_stolen_b(
                                                [&] {
                                                    b_started.store(true);
                                                    return std::this_thread::get_id();
                                                },
                                                b_started);
                                        })
                                        .join();
        CHECK(a_thread != b_thread);
    }
    auto total = pool.stats().total();
    CHECK(total.tasks_stolen >= 20);
    CHECK(total.tasks_run == total.tasks_spawned);  // a stolen b counts as a spawned task
}

TEST_CASE("an exception from a reaches the caller after b has finished") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<int> b_done{0};
    bool caught = pool.spawn([&] {
                          try {
                              (void)tinyrt::join([]() -> int { throw std::runtime_error("a"); },
                                                 [&] { b_done.fetch_add(1); });
                          } catch (const std::runtime_error& e) {
                              CHECK(std::string(e.what()) == "a");
                              return b_done.load() == 1;
                          }
                          return false;
                      })
                      .join();
    CHECK(caught);
}

TEST_CASE("an exception from b reaches the caller, inline or stolen") {
    tinyrt::pool pool{{.workers = 2}};
    bool inline_caught =
        pool.spawn([] {
                try {
                    (void)tinyrt::join([] { return 1; },
                                       []() -> int { throw std::logic_error("b"); });
                } catch (const std::logic_error& e) {
                    return std::string(e.what()) == "b";
                }
                return false;
            })
            .join();
    CHECK(inline_caught);
    std::atomic<bool> b_started{false};
    bool stolen_caught = pool.spawn([&] {
                                 try {
                                     (void)join_with_stolen_b(
                                         [&]() -> int {
                                             b_started.store(true);
                                             throw std::logic_error("stolen b");
                                         },
                                         b_started);
                                 } catch (const std::logic_error& e) {
                                     return std::string(e.what()) == "stolen b";
                                 }
                                 return false;
                             })
                             .join();
    CHECK(stolen_caught);
}

TEST_CASE("when both throw, a's exception wins and b has finished, also when b was stolen") {
    tinyrt::pool pool{{.workers = 2}};
    std::atomic<bool> b_started{false};
    std::atomic<bool> b_finished{false};
    std::string what =
        pool.spawn([&] {
                try {
                    (void)tinyrt::join(
                        [&]() -> int {
                            while (!b_started.load())
                                (void)tinyrt::join([] { return 0; }, [] { return 0; });
                            throw std::runtime_error("a");
                        },
                        [&]() -> int {
                            b_started.store(true);
                            b_finished.store(true);
                            throw std::runtime_error("b");
                        });
                } catch (const std::runtime_error& e) {
                    CHECK(b_finished.load());
                    return std::string(e.what());
                }
                return std::string("nothing thrown");
            })
            .join();
    CHECK(what == "a");
    // Inline too (1 worker: b cannot be stolen).
    tinyrt::pool one{{.workers = 1}};
    std::string inline_what =
        one.spawn([] {
               try {
                   (void)tinyrt::join([]() -> int { throw std::runtime_error("a"); },
                                      []() -> int { throw std::runtime_error("b"); });
               } catch (const std::runtime_error& e) {
                   return std::string(e.what());
               }
               return std::string("nothing thrown");
           })
            .join();
    CHECK(inline_what == "a");
}

TEST_CASE("join inside task_group children, and task_groups inside join's closures") {
    tinyrt::pool pool{{.workers = 2}};
    long sum = pool.spawn([&] {
                       std::atomic<long> total{0};
                       tinyrt::task_group g{pool};
                       for (int i = 0; i < 8; ++i) {
                           g.spawn([&] { total.fetch_add(tree_join(8)); });
                       }
                       auto [x, y] = tinyrt::join([&] { return test_support::tree(pool, 8); },
                                                  [&] { return test_support::fib(pool, 15); });
                       g.wait();
                       return total.load() + x + y;
                   })
                   .join();
    CHECK(sum == 8 * 256 + 256 + test_support::fib_plain(15));
}
