// Regressions for hangs found in review (the reviewer's repro programs, made
// into tests). Each scenario runs on its own thread under a watchdog: if it
// has not finished after 20 s the test binary exits with a message naming
// the scenario instead of hanging CTest (a deadlocked pool cannot be
// destroyed, so there is nothing cleaner to do).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/sched.hpp"

namespace {

// Runs body() on a new thread; exits the process with a message if it does
// not return within `limit`.
template <typename F>
void within_limit(const char* scenario, F body, std::chrono::seconds limit = std::chrono::seconds(20)) {
    std::mutex m;
    std::condition_variable cv;
    bool finished = false;
    std::thread t([&] {
        body();
        std::lock_guard lock(m);
        finished = true;
        cv.notify_all();
    });
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, limit, [&] { return finished; })) {
        std::fprintf(stderr, "HANG: scenario \"%s\" did not finish in %lld s (deadlock)\n",
                     scenario, static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::_Exit(1);
    }
    lock.unlock();
    t.join();
}

}  // namespace

TEST_CASE("hang: a pool.spawn child of a task that blocks outside tinyrt is not hidden") {
    // Finding 3 (hidden.cpp). Both workers busy, so the old scheduler kept
    // A's child in A's private buffer; A then blocks on a std::latch that
    // only the child counts down, and the other worker goes idle and parks.
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
    std::atomic<bool> release{false};
    auto owned = std::make_unique<tinyrt::pool>(tinyrt::pool_options{.workers = 1});
    tinyrt::pool* pool = owned.get();
    pool->spawn([&] {
        while (!release.load()) std::this_thread::yield();
    });
    std::thread destroyer([&] { owned.reset(); });
    std::string message;
    std::atomic<int> ran{0};
    {
        tinyrt::task_group g{*pool};
        for (;;) {
            try {
                g.spawn([&] { ran.fetch_add(1); });  // accepted until the destructor starts
            } catch (const std::logic_error& e) {
                message = e.what();
                break;
            }
            std::this_thread::yield();
        }
        release.store(true);
        g.wait();  // every accepted child still runs
    }
    destroyer.join();
    CHECK(message.find("shutting down") != std::string::npos);
}
