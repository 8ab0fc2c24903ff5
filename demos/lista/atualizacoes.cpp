// In [17]: a thousand threads each run `for i: l[i] = inc(l[i])` over a
// 20-element list, where inc sleeps between reading and writing. Without a
// lock, updates are lost; with one, every update counts.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/clock.hpp"
#include "common/timeline.hpp"
#include "lista.hpp"
#include "tinyrt/sync/mutex.hpp"

namespace lista {

namespace {

constexpr int list_size = 20;

std::vector<int> expected_list(long threads) {
    std::vector<int> out;
    for (int i = 1; i <= list_size; ++i) out.push_back(i + static_cast<int>(threads));
    return out;
}

// Starts `count` threads running body(), all held at a latch until every one
// exists (so they really run together), and joins them. Thread creation can
// fail (process limits): then the ones started are released and joined, and
// the demo ends with a clear message.
template <typename Body>
void run_threads(long count, Body body) {
    std::latch start(1);
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(count));
    const char* failure = nullptr;
#if defined(__cpp_exceptions)
    try {
#endif
        for (long t = 0; t < count; ++t) {
            pool.emplace_back([&, t] {
                start.wait();
                demo::timeline().run_as_task("thread " + std::to_string(t), "atualizar", body);
            });
        }
#if defined(__cpp_exceptions)
    } catch (const std::system_error& e) {
        failure = e.what();
    }
#endif
    start.count_down();
    for (auto& th : pool) th.join();
    if (failure != nullptr) {
        std::fprintf(stderr,
                     "lista: could only start %zu of %ld threads: %s (try a smaller --threads)\n",
                     pool.size(), count, failure);
        std::exit(1);
    }
}

}  // namespace

void atualizacoes_sem_lock(const options& opt) {
    // l = list(range(1, 21)). The elements are atomics read and written with
    // relaxed order: a plain int written by many threads would be a data race
    // (undefined behaviour in C++). A separate load and store still lose
    // updates exactly as Python does: between the read and the write, inc()
    // sleeps, and every write made by other threads meanwhile is overwritten.
    std::vector<std::atomic<int>> l(list_size);
    for (int i = 0; i < list_size; ++i) l[static_cast<std::size_t>(i)].store(i + 1);

    auto inc = [&](int v) {
        std::this_thread::sleep_for(std::chrono::milliseconds(opt.tick));
        return v + 1;
    };
    demo::stopwatch sw;
    run_threads(opt.threads, [&] {
        for (auto& item : l) {
            item.store(
                inc(item.load(
                    std::memory_order_relaxed)),  // the race is the point: no ordering wanted
                std::memory_order_relaxed);       // overwrites the updates made since the load
        }
    });
    std::vector<int> result;
    for (auto& item : l) result.push_back(item.load());
    std::printf("%s\n", python_list(result).c_str());
    std::printf("  (%ld threads, %.2f s; sem lock, o esperado seria %s: atualizações perdidas)\n",
                opt.threads, sw.seconds(), python_list(expected_list(opt.threads)).c_str());
}

void atualizacoes_com_lock(const options& opt) {
    // The fix: the read and the write of l[i] happen under one lock, so no
    // other thread can write in between. The sleep of inc() stays outside the
    // lock: it touches no shared data, and holding a lock across it would
    // queue every update behind the others (1000 threads x 20 x 10 ms = 200 s).
    std::vector<int> l;  // plain ints: the lock protects them
    for (int i = 1; i <= list_size; ++i) l.push_back(i);
    tinyrt::mutex lock;  // sleeps while it waits: 1000 threads on a few cores

    demo::stopwatch sw;
    run_threads(opt.threads, [&] {
        for (auto& item : l) {
            std::this_thread::sleep_for(std::chrono::milliseconds(opt.tick));  // inc()'s slow part
            std::lock_guard<tinyrt::mutex> g(lock);
            item = item + 1;  // l[i] = l[i] + 1, read and written under the lock
        }
    });
    std::printf("%s\n", python_list(l).c_str());
    const bool exact = l == expected_list(opt.threads);
    std::printf(
        "  (com lock, %ld threads, %.2f s: %s)\n", opt.threads, sw.seconds(),
        exact ? "nenhuma atualização perdida" : "ERRO: atualizações perdidas mesmo com lock");
    if (!exact) std::exit(1);
}

}  // namespace lista
