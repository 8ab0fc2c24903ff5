// Regressions for hangs found in review (the reviewer's repro programs, made
// into tests). Each scenario runs under the watchdog of
// support/within_limit.hpp: if it has not finished after 20 s the test
// binary exits with a message naming the scenario instead of hanging CTest.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/fork_join.hpp"
#include "support/pool_being_destroyed.hpp"
#include "support/within_limit.hpp"
#include "tinyrt/sched.hpp"

using test_support::within_limit;

TEST_CASE("hang: a pool.spawn child of a task that blocks outside tinyrt is not hidden") {
    // Both workers busy: a scheduler that kept A's pool.spawn child in A's
    // private buffer would hang here, since A then blocks on a std::latch
    // that only the child counts down, and the other worker parks.
    within_limit("private child behind a std::latch", [] {
        tinyrt::pool p{{.workers = 2}};
        std::atomic<int> running{0};
        std::atomic<bool> a_spawned{false};
        std::latch child_done{1};
        auto hb = p.spawn([&] {
            running.fetch_add(1);
            while (!a_spawned.load()) std::this_thread::yield();
        });
        auto ha = p.spawn([&] {
            running.fetch_add(1);
            while (running.load() < 2) std::this_thread::yield();
            p.spawn([&] { child_done.count_down(); }).detach();
            a_spawned.store(true);
            child_done.wait();
        });
        ha.join();
        hb.join();
    });
}

TEST_CASE("spawning into a task_group from outside a pool that is shutting down is an error") {
    // Finding 4: task_group::spawn from a non-worker goes to the injection
    // queue and must be refused like pool.spawn once ~pool() has started.
    std::string message;
    within_limit("task_group::spawn during ~pool() is never refused", [&] {
        test_support::pool_being_destroyed dying;
        std::atomic<int> ran{0};
        {
            tinyrt::task_group g{dying.pool()};
            for (;;) {
                try {
                    g.spawn([&] { ran.fetch_add(1); });  // accepted until the destructor starts
                } catch (const std::logic_error& e) {
                    message = e.what();
                    break;
                }
                std::this_thread::yield();
            }
            dying.release();
            g.wait();  // every accepted child still runs
        }
        dying.join();
    });
    CHECK(message.find("shutting down") != std::string::npos);
}

TEST_CASE("hang: a waiter does not run a spawned task that joins the waiter's own task") {
    // a runs a map and waits for its chunks; b, queued behind it, joins a.
    // A waiter that took b and ran it on top of a's frame would hang: b
    // waits for a, a for b.
    within_limit("map in a, b joins a", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::vector<int> v(64);
            std::iota(v.begin(), v.end(), 0);
            auto a = p.spawn([&] {
                return p.map(
                    [](int x) {
                        std::this_thread::sleep_for(std::chrono::microseconds(200));
                        return x;
                    },
                    v);
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            auto b = p.spawn([a = std::move(a)]() mutable { return a.join().size(); });
            CHECK(b.join() == 64);
        }
    });
}

TEST_CASE("hang: X joins Z while Y joins X (2 workers)") {
    // The same cycle through a third task: a waiter of X (waiting for Z)
    // that took Y, which joins X, and ran it on top of X would hang.
    within_limit("X joins Z, Y joins X", [] {
        for (int round = 0; round < 20; ++round) {
            CAPTURE(round);
            tinyrt::pool p{{.workers = 2}};
            std::atomic<bool> gate{false};
            std::atomic<bool> zgo{false};
            std::optional<tinyrt::join_handle<void>> hx;
            std::optional<tinyrt::join_handle<void>> hz;
            std::atomic<int> done{0};
            hx.emplace(p.spawn([&] {
                while (!gate.load()) std::this_thread::yield();
                hz->join();
                done.fetch_add(1);
            }));
            auto hy = p.spawn([&] {
                while (!gate.load()) std::this_thread::yield();
                hx->join();
                done.fetch_add(1);
            });
            hz.emplace(p.spawn([&] {
                while (!zgo.load()) std::this_thread::yield();
                done.fetch_add(1);
            }));
            gate.store(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            zgo.store(true);
            hy.join();
            CHECK(done.load() == 3);
        }
    });
}

TEST_CASE("hang: 40 injected tasks each joining a later injected task (1 worker)") {
    // A_i joins B_i, all A before all B in the injection queue. A waiter
    // that nested A_1..A_32 on one stack would sleep at the depth limit
    // with B_32 queued; A_i runs B_i inline instead (rule 4).
    within_limit("A_i joins B_i, 1 worker", [] {
        tinyrt::pool p{{.workers = 1}};
        constexpr int n = 40;
        std::optional<tinyrt::join_handle<int>> hb[n];
        std::optional<tinyrt::join_handle<void>> ha[n];
        std::atomic<bool> gate{false};
        std::atomic<int> sum{0};
        auto blocker = p.spawn([&] {
            while (!gate.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        for (int i = 0; i < n; ++i)
            ha[i].emplace(p.spawn([&, i] { sum.fetch_add(hb[i]->join()); }));
        for (int i = 0; i < n; ++i) hb[i].emplace(p.spawn([i] { return i; }));
        gate.store(true);
        blocker.join();
        for (auto& h : ha) h->join();
        CHECK(sum.load() == n * (n - 1) / 2);
    });
}

TEST_CASE("join() of an unstarted task runs it inline: spawned tasks do not nest on a waiter") {
    // Each of K spawned tasks spawns and joins a slow child. A join that
    // ran any own-deque or stolen task while it waited would nest spawned
    // tasks on one stack; a joiner runs only its own unstarted task inline
    // (or fork-join children), so a spawned task never runs on top of
    // another one's join. (A bound check: unrestricted helping does not
    // always nest deeply here, so this is not a reproduction.)
    within_limit("join nesting", [] {
        tinyrt::pool p{{.workers = 4}};
        constexpr int k = 1000;
        static thread_local int depth = 0;
        std::atomic<int> deepest{0};
        p.spawn([&] {
             std::vector<tinyrt::join_handle<void>> hs;
             for (int i = 0; i < k; ++i) {
                 hs.push_back(p.spawn([&] {
                     int d = ++depth;
                     int seen = deepest.load();
                     while (d > seen && !deepest.compare_exchange_weak(seen, d)) {
                     }
                     auto c = p.spawn(
                         [] { std::this_thread::sleep_for(std::chrono::microseconds(30)); });
                     std::this_thread::sleep_for(std::chrono::microseconds(10));
                     c.join();
                     --depth;
                 }));
             }
             for (auto& h : hs) h.join();
         }).join();
        CHECK(deepest.load() <= 2);
    });
}

TEST_CASE("a joined task already claimed by a worker is waited for, and its result arrives") {
    within_limit("join of running tasks", [] {
        tinyrt::pool p{{.workers = 2}};
        long total = p.spawn([&] {
                          std::vector<tinyrt::join_handle<long>> hs;
                          for (long i = 0; i < 2000; ++i) hs.push_back(p.spawn([i] { return i; }));
                          long s = 0;
                          for (auto& h : hs) s += h.join();
                          return s;
                      }).join();
        CHECK(total == 1999L * 2000 / 2);
        auto st = p.stats();
        (void)st;
    });
}

// ---- Starvation across pools (item 6) ---------------------------------------
// A task on pool A waits for a task on pool B, which spawns, joins or maps new
// work on A while every A worker waits. Before, that work sat in A's
// injection queue, which waiting workers never read, and join() ran a task
// inline only on a worker of the task's own pool: all of these hung.

TEST_CASE("hang: A joins a task on B that spawns and joins a new task on A (1 worker each)") {
    within_limit("A -> B -> A join chain", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 1}};
        int v = a.spawn([&] {
                     return b.spawn([&] { return a.spawn([] { return 1; }).join(); }).join();
                 }).join();
        CHECK(v == 1);
    });
}

TEST_CASE("hang: B's worker, joining an unstarted task of A, runs it; its spawns go to A") {
    // The same chain, with the middle task surely started on B's worker (the
    // A task waits until it runs), so the innermost join is the one from B's
    // worker. The task it runs inline spawns on A (a plain spawn and a
    // task_group): those go to A, never onto B's worker's own deque, where
    // B's other worker could steal them.
    within_limit("B's worker joins an A task", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 2}};
        const auto a_thread = a.spawn([] { return std::this_thread::get_id(); }).join();
        std::atomic<bool> started{false};
        std::thread::id b_thread;
        std::thread::id inner_thread;
        std::mutex m;
        std::set<std::thread::id> child_threads;
        int v = a.spawn([&] {
                     auto h = b.spawn([&] {
                         b_thread = std::this_thread::get_id();
                         started.store(true);
                         return a
                             .spawn([&] {
                                 inner_thread = std::this_thread::get_id();
                                 int x = a.spawn([] { return 2; }).join();
                                 tinyrt::task_group g{a};
                                 std::atomic<int> sum{0};
                                 for (int i = 0; i < 16; ++i) {
                                     g.spawn([&, i] {
                                         {
                                             std::lock_guard lock(m);
                                             child_threads.insert(std::this_thread::get_id());
                                         }
                                         sum.fetch_add(i);
                                     });
                                 }
                                 g.wait();
                                 return x + sum.load();
                             })
                             .join();
                     });
                     while (!started.load()) std::this_thread::yield();  // h runs on B
                     return h.join();
                 }).join();
        CHECK(v == 2 + 15 * 16 / 2);
        CHECK(inner_thread == b_thread);  // run inline by the joining worker of B
        for (const auto& t : child_threads) CHECK((t == a_thread || t == b_thread));
    });
}

TEST_CASE("hang: B's task maps on A while A's only worker waits for it") {
    within_limit("map on A from B while A waits", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 1}};
        std::vector<int> v(1000);
        std::iota(v.begin(), v.end(), 0);
        std::atomic<bool> started{false};
        auto r = a.spawn([&] {
                      auto h = b.spawn([&] {
                          started.store(true);
                          return a.map([](int x) { return 2 * x; }, v);
                      });
                      while (!started.load()) std::this_thread::yield();  // h runs on B
                      return h.join();
                  }).join();
        REQUIRE(r.size() == v.size());
        bool all = true;
        for (std::size_t i = 0; i < v.size(); ++i) all = all && r[i] == 2 * v[i];
        CHECK(all);
    });
}

TEST_CASE("hang: B's task runs fork-join on A (nested task_groups) while A's only worker waits") {
    // fib on A from B's worker: every task_group is created outside A, at
    // every level. Its children run on A's waiting worker or on the B worker
    // that waits for them, never on B's other worker.
    within_limit("fib on A from B while A waits", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 2}};
        std::atomic<bool> started{false};
        int r = a.spawn([&] {
                     auto h = b.spawn([&] {
                         started.store(true);
                         return test_support::fib(a, 18);
                     });
                     while (!started.load()) std::this_thread::yield();  // h runs on B
                     return h.join();
                 }).join();
        CHECK(r == test_support::fib_plain(18));
    });
}

TEST_CASE("hang: a child spawned into a worker-owned group from another pool's worker") {
    // The group's owner (A's only worker) waits while a task on B spawns a
    // child into it (the spawning task is joined by one of the group's
    // children, so the group is alive). Before, the child went to A's
    // injection queue and the owner, waiting, never looked there.
    within_limit("spawn into A's group from B", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 1}};
        std::atomic<int> ran{0};
        a.spawn([&] {
             tinyrt::task_group g{a};
             g.spawn([&] {
                 std::atomic<bool> started{false};
                 auto h = b.spawn([&] {
                     started.store(true);
                     g.spawn([&] { ran.fetch_add(1); });
                 });
                 while (!started.load()) std::this_thread::yield();  // h runs on B
                 h.join();
             });
             g.wait();
         }).join();
        CHECK(ran.load() == 1);
    });
}

TEST_CASE("hang: a task of a pool being destroyed, run by another pool's worker, still spawns") {
    // B's worker runs T, a task of A, inline (it joins T while A's only worker
    // is held). Meanwhile ~A starts. T's spawns into A are part of work
    // spawned before the destructor, so they are accepted and run, and A
    // does not finish shutting down while T runs, although A's worker runs
    // out of work and parks in between (before, A's quiescence check did not
    // know about T, and T could not even run: B's worker would not run it).
    within_limit("guest spawns during shutdown", [] {
        auto owned = std::make_unique<tinyrt::pool>(tinyrt::pool_options{.workers = 1});
        tinyrt::pool& a = *owned;
        tinyrt::pool b{{.workers = 1}};
        std::atomic<bool> release_a{false};
        std::atomic<bool> in_t{false};
        std::atomic<bool> stopping_seen{false};
        std::atomic<int> ran{0};
        auto hold = a.spawn([&] {
            while (!release_a.load()) std::this_thread::yield();
        });
        hold.detach();
        auto ht = a.spawn([&] {
            in_t.store(true);
            while (!stopping_seen.load()) std::this_thread::yield();
            a.spawn([&] { ran.fetch_add(1); }).detach();  // accepted: T is a task of A
            release_a.store(true);
            // A's worker runs that, finds nothing more and parks, but cannot
            // conclude that A is quiescent: T still runs.
            for (;;) {
                auto s = a.stats();
                if (s.workers[0].parks > s.workers[0].wakeups && ran.load() == 1) break;
                std::this_thread::yield();
            }
            a.spawn([&] { ran.fetch_add(1); }).detach();
            tinyrt::task_group g{a};
            g.spawn([&] { ran.fetch_add(1); });
            g.wait();
        });
        auto hb = b.spawn([&] { ht.join(); });
        while (!in_t.load()) std::this_thread::yield();
        std::thread destroyer([&] { owned.reset(); });
        // A spawn from this thread (outside A) is refused once ~A has started.
        for (;;) {
            try {
                a.spawn([] {}).detach();
            } catch (const std::logic_error&) {
                break;
            }
            std::this_thread::yield();
        }
        stopping_seen.store(true);
        hb.join();
        destroyer.join();
        CHECK(ran.load() == 3);
    });
}

TEST_CASE("a task_group waited on by a thread that is no pool's worker never runs its children") {
    // Children spawned from outside sit in the group's list too; a waiter
    // off every pool only retires them there (DESIGN.md, rule 5), like join()
    // off the pool never runs the task.
    within_limit("main's task_group", [] {
        tinyrt::pool p{{.workers = 2}};
        const auto me = std::this_thread::get_id();
        std::atomic<bool> on_me{false};
        std::atomic<int> ran{0};
        for (int round = 0; round < 50; ++round) {
            tinyrt::task_group g{p};
            for (int i = 0; i < 20; ++i) {
                g.spawn([&] {
                    if (std::this_thread::get_id() == me) on_me.store(true);
                    ran.fetch_add(1);
                });
            }
            g.wait();
        }
        CHECK(ran.load() == 50 * 20);
        CHECK_FALSE(on_me.load());
    });
}

TEST_CASE("children spawned from another pool's worker report their exceptions to wait()") {
    within_limit("exceptions from outside children", [] {
        tinyrt::pool a{{.workers = 1}};
        tinyrt::pool b{{.workers = 1}};
        std::atomic<int> finished{0};
        std::string message = b.spawn([&] {
                                   tinyrt::task_group g{a};
                                   for (int i = 0; i < 20; ++i) {
                                       g.spawn([&, i] {
                                           finished.fetch_add(1);
                                           if (i == 7) throw std::runtime_error("child 7 failed");
                                       });
                                   }
                                   try {
                                       g.wait();
                                   } catch (const std::runtime_error& e) {
                                       return std::string(e.what());
                                   }
                                   return std::string("no exception");
                               }).join();
        CHECK(message == "child 7 failed");
        CHECK(finished.load() == 20);
    });
}

TEST_CASE("fork-join and joins across two pools in both directions, many rounds") {
    // For the sanitizer jobs: every cross-pool path at once (joins run as
    // guests, groups created outside their pool, tickets taken by waiting
    // workers, children spawned from outside into worker-owned groups).
    within_limit("cross-pool mix", [] {
        tinyrt::pool a{{.workers = 2}};
        tinyrt::pool b{{.workers = 2}};
        std::vector<int> v(300);
        std::iota(v.begin(), v.end(), 0);
        const int f12 = test_support::fib_plain(12);
        for (int round = 0; round < 30; ++round) {
            CAPTURE(round);
            auto ha = a.spawn([&] {
                auto hb = b.spawn([&] { return test_support::fib(a, 12); });
                int x = test_support::fib(b, 11);
                auto m = b.map([&](int i) { return a.spawn([i] { return i + 1; }).join(); }, v);
                long s = 0;
                for (int e : m) s += e;
                return hb.join() + x + s;
            });
            auto hb = b.spawn([&] {
                std::atomic<int> extra{0};
                tinyrt::task_group g{b};
                for (int i = 0; i < 8; ++i) {
                    g.spawn([&] { a.spawn([&] { g.spawn([&] { extra.fetch_add(1); }); }).join(); });
                }
                g.wait();
                return extra.load();
            });
            CHECK(ha.join() == f12 + test_support::fib_plain(11) + 300L * 301 / 2);
            CHECK(hb.join() == 8);
        }
    });
}

TEST_CASE("hang: the owner's own spawns during its wait, in a group it had not spawned into") {
    // The group's first child comes from outside the pool; its waiter (the
    // only worker) runs it from the group's list, and that child spawns into
    // the group from the owner's thread, onto the owner's own deque. The
    // wait must pop it: it was pushed after the group started (rule 1).
    within_limit("owner spawns during its own wait", [] {
        tinyrt::pool pool{{.workers = 1}};
        std::atomic<int> ran{0};
        pool.spawn([&] {
                tinyrt::task_group g{pool};
                std::thread t([&] {
                    g.spawn([&] {
                        ran.fetch_add(1);
                        g.spawn([&] { ran.fetch_add(1); });
                    });
                });
                t.join();
                g.wait();
            })
            .join();
        CHECK(ran.load() == 2);
    });
}
