// soma::run_together: start N threads behind a gate and time them.
#pragma once

#include <chrono>
#include <thread>
#include <vector>

namespace soma {

template <typename Body>
double run_together(long threads, Body body) {
    start_gate gate(threads);
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    for (long t = 0; t < threads; ++t) {
        pool.emplace_back([&gate, &body, t] {
            gate.arrive_and_wait();
            body(t);
        });
    }
    gate.open();
    const auto start = std::chrono::steady_clock::now();
    for (auto& th : pool) th.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace soma
