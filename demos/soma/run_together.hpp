// soma::run_together: start N threads behind a gate and time them.
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/timeline.hpp"

namespace soma {

// With --trace/--html each thread is a lane "thread T" and its body a task
// named `task_name` (a string literal).
template <typename Body>
double run_together(long threads, const char* task_name, Body body) {
    start_gate gate(threads);
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    for (long t = 0; t < threads; ++t) {
        pool.emplace_back([&gate, &body, task_name, t] {
            gate.arrive_and_wait();
            demo::timeline().run_as_task("thread " + std::to_string(t), task_name,
                                         [&] { body(t); });
        });
    }
    gate.open();
    const auto start = std::chrono::steady_clock::now();
    for (auto& th : pool) th.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace soma
