// A task_group's inline child (sched/detail/inline_child.hpp): the owner's
// first child lives in the group itself. It runs exactly once whether the
// owner pops it back or a thief steals it, its exception reaches wait(), a
// spawn while it runs elsewhere does not overwrite it, it may spawn into its
// own group (run by the owner or by a thief), the destructor runs it when
// wait() is skipped, and closures that do not fit, are 16-aligned, or whose
// copy throws still behave as children should.
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/within_limit.hpp"
#include "tinyrt/sched.hpp"

namespace {

using test_support::within_limit;

// Keeps the owner pushing and popping (tiny nested groups, which serve
// steal requests) until `started` is set by a child running elsewhere.
void serve_until(tinyrt::pool& pool, const std::atomic<bool>& started) {
    while (!started.load()) {
        tinyrt::task_group inner{pool};
        inner.spawn([] {});
        inner.wait();
    }
}

struct throwing_move {
    throwing_move() = default;
    throwing_move(const throwing_move&) { throw std::runtime_error("copy"); }
    void operator()() const {}
};

}  // namespace

TEST_CASE("the owner's first child runs once and its exception reaches wait()") {
    tinyrt::pool pool{{.workers = 1}};
    pool.spawn([&] {
            tinyrt::task_group g{pool};
            int runs = 0;
            g.spawn([&] { ++runs; });
            g.wait();
            CHECK(runs == 1);
            g.spawn([] { throw std::runtime_error("inline"); });
            try {
                g.wait();
                FAIL("wait() did not rethrow");
            } catch (const std::runtime_error& e) {
                CHECK(std::string(e.what()) == "inline");
            }
            // The group works on after a wait that threw.
            g.spawn([&] { ++runs; });
            g.wait();
            CHECK(runs == 2);
        })
        .join();
    auto total = pool.stats().total();
    CHECK(total.tasks_run == total.tasks_spawned);
}

TEST_CASE("a stolen first child runs on the thief, once, and its exception reaches wait()") {
    within_limit("stolen inline child", [] {
        tinyrt::pool pool{{.workers = 2}};
        for (int round = 0; round < 20; ++round) {
            const bool throws = round % 2 == 1;
            std::atomic<bool> started{false};
            std::atomic<int> runs{0};
            std::thread::id child_thread;
            bool caught = false;
            const std::thread::id owner_thread =
                pool.spawn([&] {
                        tinyrt::task_group g{pool};
                        g.spawn([&] {
                            child_thread = std::this_thread::get_id();
                            runs.fetch_add(1);
                            started.store(true);
                            if (throws) throw std::runtime_error("stolen");
                        });
                        serve_until(pool, started);
                        try {
                            g.wait();
                        } catch (const std::runtime_error& e) {
                            caught = std::string(e.what()) == "stolen";
                        }
                        return std::this_thread::get_id();
                    })
                    .join();
            CHECK(runs.load() == 1);
            CHECK(child_thread != owner_thread);
            CHECK(caught == throws);
        }
        CHECK(pool.stats().total().tasks_stolen >= 20);
    });
}

TEST_CASE("while the first child runs elsewhere, the owner's next children take blocks") {
    within_limit("busy inline slot", [] {
        tinyrt::pool pool{{.workers = 2}};
        for (int round = 0; round < 10; ++round) {
            std::atomic<bool> started{false};
            std::atomic<bool> release{false};
            std::atomic<bool> first_finished{false};
            std::atomic<int> later_runs{0};
            std::atomic<int> ran_before_first_finished{0};
            pool.spawn([&] {
                    tinyrt::task_group g{pool};
                    g.spawn([&] {
                        started.store(true);
                        while (!release.load()) std::this_thread::yield();
                        first_finished.store(true);
                    });
                    serve_until(pool, started);
                    // The slot is still busy: these take blocks. wait() runs
                    // them on the owner; the last one lets the first child end.
                    for (int i = 0; i < 8; ++i) {
                        g.spawn([&] {
                            if (!first_finished.load()) ran_before_first_finished.fetch_add(1);
                            if (later_runs.fetch_add(1) == 7) release.store(true);
                        });
                    }
                    g.wait();
                    CHECK(first_finished.load());
                })
                .join();
            CHECK(later_runs.load() == 8);
            CHECK(ran_before_first_finished.load() == 8);
        }
    });
}

TEST_CASE("closures that do not fit the slot, or whose copy throws, leave it alone") {
    tinyrt::pool pool{{.workers = 1}};
    pool.spawn([&] {
            tinyrt::task_group g{pool};
            std::array<char, 96> big{};
            big[95] = 7;
            int seen = 0;
            g.spawn([big, &seen] { seen = big[95]; });  // too big for the slot: a block
            g.wait();
            CHECK(seen == 7);

            throwing_move bad;
            CHECK_THROWS_AS(g.spawn(bad), std::runtime_error);
            int runs = 0;
            g.spawn([&] { ++runs; });  // the group works on
            g.wait();
            CHECK(runs == 1);
        })
        .join();
}

TEST_CASE("a 16-aligned closure in the slot keeps its alignment") {
    struct alignas(16) wide {
        std::uint64_t lo = 1, hi = 2;
    };
    tinyrt::pool pool{{.workers = 1}};
    bool aligned = false;
    std::uint64_t sum = 0;
    pool.spawn([&] {
            tinyrt::task_group g{pool};
            wide w;
            g.spawn([w, &aligned, &sum] {
                aligned = reinterpret_cast<std::uintptr_t>(&w) % 16 == 0;
                sum = w.lo + w.hi;
            });
            g.wait();
        })
        .join();
    CHECK(aligned);
    CHECK(sum == 3);
}

TEST_CASE("an inline child that spawns into its own group, run by the owner or stolen") {
    within_limit("inline child spawns into its group", [] {
        for (unsigned workers : {1U, 2U}) {
            CAPTURE(workers);
            tinyrt::pool pool{{.workers = workers}};
            for (int round = 0; round < 10; ++round) {
                std::atomic<int> runs{0};
                pool.spawn([&] {
                        tinyrt::task_group g{pool};
                        // Typed on the owner: its spawn must find the slot busy
                        // (it is freed after the call returns) and take a block.
                        g.spawn([&] {
                            runs.fetch_add(1);
                            g.spawn([&] {
                                runs.fetch_add(1);
                                g.spawn([&] { runs.fetch_add(1); });
                            });
                        });
                        g.wait();
                    })
                    .join();
                CHECK(runs.load() == 3);
            }
        }
    });
}

TEST_CASE("a stolen inline child that spawns into its own group") {
    within_limit("stolen inline child spawns", [] {
        tinyrt::pool pool{{.workers = 2}};
        for (int round = 0; round < 10; ++round) {
            std::atomic<bool> started{false};
            std::atomic<int> runs{0};
            pool.spawn([&] {
                    tinyrt::task_group g{pool};
                    g.spawn([&] {
                        started.store(true);
                        for (int i = 0; i < 4; ++i) g.spawn([&] { runs.fetch_add(1); });
                    });
                    serve_until(pool, started);
                    g.wait();
                })
                .join();
            CHECK(runs.load() == 4);
        }
    });
}

TEST_CASE("~task_group runs a pending inline child when wait() is skipped by an exception") {
    within_limit("inline child run by the destructor", [] {
        tinyrt::pool pool{{.workers = 1}};
        int runs = 0;
        bool caught = pool.spawn([&] {
                              try {
                                  tinyrt::task_group g{pool};
                                  g.spawn([&] { ++runs; });
                                  throw std::runtime_error("before wait");
                              } catch (const std::runtime_error&) {
                                  return true;
                              }
                          })
                          .join();
        CHECK(caught);
        CHECK(runs == 1);
    });
}
