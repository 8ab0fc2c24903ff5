// bench_trace_overhead: what the timeline costs real programs (not a
// pass/fail test). In one run, interleaved repetitions, medians:
//   - fib(N) spawning every call through a task_group (tests/support's fib)
//     on a 2-worker pool: tracing off, and on (a recorder holding every event);
//   - N create_task + co_await of a trivial coroutine on a loop: off and on;
// and for "on" the slowdown and the extra time per recorded event.
//
// Built against a tree without tinyrt/trace/current.hpp (the commit before
// the event sites), it measures "off" only: run both binaries interleaved to
// compare tracing-off against the code before the sites.
//
// Usage: bench_trace_overhead [--quick] [--fib N] [--tasks N] [--workers N] [--reps N]
// (callgrind: --workers 1 --reps 1 and --separate-threads=yes count one
// worker's instructions, the same from run to run).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "support/fork_join.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"

#if __has_include("tinyrt/trace/current.hpp")
#include "tinyrt/trace/recorder.hpp"
#define BENCH_HAS_TRACE 1
#else
#define BENCH_HAS_TRACE 0
#endif

namespace {

using clk = std::chrono::steady_clock;

double ms_since(clk::time_point t) {
    return std::chrono::duration<double, std::milli>(clk::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

volatile long sink;

struct sample {
    double ms = 0;
    unsigned long long events = 0;
};

#if BENCH_HAS_TRACE
std::unique_ptr<tinyrt::trace::recorder> make_recorder(std::uint32_t events_per_thread) {
    auto rec = std::make_unique<tinyrt::trace::recorder>(
        tinyrt::trace::recorder_options{.events_per_thread = events_per_thread});
    rec->start();
    return rec;
}
#endif

// fib(n) on a fresh 2-worker pool (made before the clock starts; with a
// recorder, its buffers are prepared then too).
unsigned workers = 2;

sample fib_run(int n, bool traced, std::uint32_t capacity) {
    sample s;
#if BENCH_HAS_TRACE
    auto rec = traced ? make_recorder(capacity) : nullptr;
    tinyrt::pool pool{{.workers = workers, .trace = rec.get()}};
#else
    (void)traced;
    (void)capacity;
    tinyrt::pool pool{{.workers = workers}};
#endif
    // Warm the workers (and give each its buffer) before timing.
    sink = pool.spawn([&] { return test_support::fib(pool, 10); }).join();
#if BENCH_HAS_TRACE
    const unsigned long long before = rec ? rec->recorded() : 0;
#endif
    const auto start = clk::now();
    sink = pool.spawn([&] { return test_support::fib(pool, n); }).join();
    s.ms = ms_since(start);
#if BENCH_HAS_TRACE
    if (rec) {
        if (rec->dropped() != 0)
            std::fprintf(stderr, "warning: %llu events dropped\n",
                         static_cast<unsigned long long>(rec->dropped()));
        s.events = rec->recorded() - before;
    }
#endif
    return s;
}

tinyrt::task<int> trivial() {
    co_return 1;
}

sample spawn_run(long count, bool traced, std::uint32_t capacity) {
    sample s;
    tinyrt::event_loop loop;
#if BENCH_HAS_TRACE
    auto rec = traced ? make_recorder(capacity) : nullptr;
    loop.set_trace(rec.get());
#else
    (void)traced;
    (void)capacity;
#endif
    double took = 0;
    auto main = [](long n, double& t) -> tinyrt::task<long> {
        long total = 0;
        const auto start = clk::now();
        for (long i = 0; i < n; ++i) total += co_await tinyrt::create_task(trivial());
        t = ms_since(start);
        co_return total;
    };
    sink = tinyrt::run_on(loop, main(count, took));
    s.ms = took;
#if BENCH_HAS_TRACE
    if (rec) s.events = rec->recorded();
#endif
    return s;
}

void report(const char* what, const std::vector<double>& off, const std::vector<double>& on,
            unsigned long long events) {
    const double m_off = median(off);
    std::printf("%-34s off %9.2f ms", what, m_off);
    if (!on.empty()) {
        const double m_on = median(on);
        std::printf("   on %9.2f ms  (x%.2f; %llu events, %.1f ns per event)", m_on, m_on / m_off,
                    events, events != 0 ? (m_on - m_off) * 1e6 / static_cast<double>(events) : 0.0);
    }
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 7;
    int fib_n = 30;
    long tasks = 1000000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            reps = 3;
            fib_n = 25;
            tasks = 100000;
        } else if (std::strcmp(argv[i], "--fib") == 0 && i + 1 < argc) {
            fib_n = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--tasks") == 0 && i + 1 < argc) {
            tasks = std::atol(argv[++i]);
        } else if (std::strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
            workers = static_cast<unsigned>(std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = std::atoi(argv[++i]);
        } else {
            std::fprintf(
                stderr,
                "usage: bench_trace_overhead [--quick] [--fib N] [--tasks N] [--workers N] "
                "[--reps N]\n");
            return 2;
        }
    }
    if (fib_n < 2 || fib_n > 35 || tasks < 1 || workers < 1 || workers > 64 || reps < 1) {
        std::fprintf(stderr,
                     "bench_trace_overhead: --fib 2..35, --workers 1..64, --tasks and --reps "
                     "positive\n");
        return 2;
    }
    // Every event of a run fits one track: 3 per spawned fib call (spawn,
    // begin, end) plus steals and parks; 6 per create_task (spawn, two
    // resumptions of each side).
    const long calls = 2 * static_cast<long>(test_support::fib_plain(fib_n + 1)) - 1;
    const auto fib_capacity = static_cast<std::uint32_t>(3 * calls + (1 << 16));
    const auto spawn_capacity = static_cast<std::uint32_t>(6 * tasks + (1 << 16));
    std::printf("bench_trace_overhead: medians of %d interleaved runs%s\n", reps,
                BENCH_HAS_TRACE ? "" : " (a tree without tracing: off only)");
    std::vector<double> fib_off, fib_on, spawn_off, spawn_on;
    unsigned long long fib_events = 0, spawn_events = 0;
    for (int r = 0; r < reps; ++r) {
        fib_off.push_back(fib_run(fib_n, false, 0).ms);
        spawn_off.push_back(spawn_run(tasks, false, 0).ms);
        if (BENCH_HAS_TRACE) {
            const sample f = fib_run(fib_n, true, fib_capacity);
            fib_on.push_back(f.ms);
            fib_events = f.events;
            const sample s = spawn_run(tasks, true, spawn_capacity);
            spawn_on.push_back(s.ms);
            spawn_events = s.events;
        }
    }
    char label[64];
    std::snprintf(label, sizeof label, "fib(%d), task_group, %u workers", fib_n, workers);
    report(label, fib_off, fib_on, fib_events);
    std::snprintf(label, sizeof label, "%ld x create_task + co_await", tasks);
    report(label, spawn_off, spawn_on, spawn_events);
    return 0;
}
