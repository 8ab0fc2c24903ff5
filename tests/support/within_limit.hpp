// A watchdog for tests whose failure mode is a hang: runs body() on its own
// thread and, if it has not returned within `limit`, prints
// "HANG: scenario "<name>" ..." and exits the process. A deadlocked pool
// cannot be destroyed, so there is nothing cleaner to do, and CTest then
// reports a failure with the scenario's name instead of a time-out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace test_support {

template <typename F>
void within_limit(const char* scenario, F body,
                  std::chrono::seconds limit = std::chrono::seconds(20)) {
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

}  // namespace test_support
