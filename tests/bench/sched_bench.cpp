// bench_sched: the scheduler's benchmark (not a pass/fail test).
//
// In one run, on the same 1 and 2 workers:
//   - recursive fib(30) and fib(35), spawning every call (no cut-off), with
//     tinyrt::task_group, tinyrt::join, tbb::task_group, OpenMP tasks, and
//     sequentially; on 1 worker, the overhead per spawn against the
//     sequential code (Lace's way of reporting it) and on 2 workers the
//     speed-up over 1 worker;
//   - an empty spawn + wait loop: nanoseconds per fork-join, on 1 worker
//     and on 2 (where the second worker is idle: the cost of an idle peer),
//     with the idle peer's parks per second;
//   - map over 10 million ints: pool.map vs an OpenMP parallel for.
// Prints the median of several runs and the ratio of each peer to tinyrt.
// Peers run after tinyrt so their idle spinning threads cannot slow it down.
//
// Usage: bench_sched [--quick]   (--quick: fewer repetitions, no fib(35) peers)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "../support/fork_join.hpp"
#include "tinyrt/sched.hpp"

#if TINYRT_BENCH_TBB
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif
#if TINYRT_BENCH_OPENMP
#include <omp.h>
#endif

namespace {

volatile int sink;  // keeps results alive

double median_ms(int runs, const std::function<void()>& body) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        body();
        t.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

// --- fib ---------------------------------------------------------------

// fib with tinyrt::join. As in Lace's fib, the n-1 branch is the one
// offered to other workers (join's second closure) and n-2 runs inline.
int fib_join(int n) {
    if (n < 2) return n;
    auto [a, b] = tinyrt::join([n] { return fib_join(n - 2); }, [n] { return fib_join(n - 1); });
    return a + b;
}

#if TINYRT_BENCH_TBB
int fib_tbb(int n) {
    if (n < 2) return n;
    int a = 0;
    tbb::task_group g;
    g.run([&] { a = fib_tbb(n - 1); });
    int b = fib_tbb(n - 2);
    g.wait();
    return a + b;
}
#endif

#if TINYRT_BENCH_OPENMP
int fib_omp(int n) {
    if (n < 2) return n;
    int a = 0;
#pragma omp task shared(a) firstprivate(n) default(none)
    a = fib_omp(n - 1);
    int b = fib_omp(n - 2);
#pragma omp taskwait
    return a + b;
}
#endif

long spawns_of_fib(
    int n) {  // calls of fib(n) minus the root: every call but the root is spawned or inline
    long calls[64] = {1, 1};
    for (int i = 2; i <= n; ++i) calls[i] = calls[i - 1] + calls[i - 2] + 1;
    return (calls[n] - 1) / 2;  // half of the calls are spawned (the n-1 branch)
}

struct row {
    std::string name;
    double ms;
};

void print_rows(const char* title, const std::vector<row>& rows, const char* unit = "ms") {
    std::printf("\n%s\n", title);
    double base = rows.front().ms;
    for (const row& r : rows) {
        std::printf("  %-34s %12.3f %s   %8.2fx tinyrt\n", r.name.c_str(), r.ms, unit, r.ms / base);
    }
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int runs = quick ? 3 : 7;
    const int slow_runs = quick ? 1 : 3;
    std::printf(
        "bench_sched: medians of %d runs (%d for OpenMP fib(35)); ratio = time / tinyrt's time\n",
        runs, slow_runs);

    for (int n : {30, 35}) {
        double one_worker_ms[2] = {0, 0};  // task_group, join
        for (unsigned workers : {1U, 2U}) {
            std::vector<row> rows;
            {
                tinyrt::pool pool{{.workers = workers}};
                rows.push_back(
                    {"tinyrt::task_group", median_ms(runs, [&] {
                         sink = pool.spawn([&] { return test_support::fib(pool, n); }).join();
                     })});
                rows.push_back({"tinyrt::join", median_ms(runs, [&] {
                                    sink = pool.spawn([&] { return fib_join(n); }).join();
                                })});
            }
            rows.push_back(
                {"sequential fib", median_ms(runs, [&] { sink = test_support::fib_plain(n); })});
#if TINYRT_BENCH_TBB
            {
                tbb::global_control limit(tbb::global_control::max_allowed_parallelism, workers);
                tbb::task_arena arena(static_cast<int>(workers));
                rows.push_back({"tbb::task_group", median_ms(runs, [&] {
                                    arena.execute([&] { sink = fib_tbb(n); });
                                })});
            }
#endif
#if TINYRT_BENCH_OPENMP
            if (!(quick && n == 35)) {
                rows.push_back({"OpenMP tasks", median_ms(n == 35 ? slow_runs : runs, [&] {
                                    int r = 0;
#pragma omp parallel num_threads(static_cast <int>(workers)) shared(r, n) default(none)
#pragma omp single
                                    r = fib_omp(n);
                                    sink = r;
                                })});
            }
#endif
            char title[128];
            std::snprintf(title, sizeof title, "fib(%d), %u worker%s, %ld spawns:", n, workers,
                          workers == 1 ? "" : "s", spawns_of_fib(n));
            print_rows(title, rows);
            if (workers == 1) {
                for (int k = 0; k < 2; ++k) {
                    one_worker_ms[k] = rows[static_cast<std::size_t>(k)].ms;
                    double per_spawn = (rows[static_cast<std::size_t>(k)].ms - rows[2].ms) * 1e6 /
                                       static_cast<double>(spawns_of_fib(n));
                    std::printf("  %s overhead per spawned task (vs sequential): %.2f ns\n",
                                rows[static_cast<std::size_t>(k)].name.c_str(), per_spawn);
                }
            } else {
                for (int k = 0; k < 2; ++k) {
                    std::printf("  %s speed-up over 1 worker: %.2fx\n",
                                rows[static_cast<std::size_t>(k)].name.c_str(),
                                one_worker_ms[k] / rows[static_cast<std::size_t>(k)].ms);
                }
            }
        }
    }

    // Empty fork-join: one spawn + one wait per iteration, on 1 worker (with
    // the peers), then on 2 workers, where the second one has nothing to do.
    {
        const long iters = quick ? 200000 : 2000000;
        auto empty_task_group = [&](tinyrt::pool& pool) {
            return median_ms(runs,
                             [&] {
                                 pool.spawn([&] {
                                         for (long i = 0; i < iters; ++i) {
                                             tinyrt::task_group g{pool};
                                             g.spawn([] {});
                                             g.wait();
                                         }
                                     })
                                     .join();
                             }) *
                   1e6 / static_cast<double>(iters);
        };
        auto empty_join = [&](tinyrt::pool& pool) {
            return median_ms(runs,
                             [&] {
                                 pool.spawn([&] {
                                         for (long i = 0; i < iters; ++i) {
                                             auto [x, y] =
                                                 tinyrt::join([] { return 1; }, [] { return 2; });
                                             sink = x + y;
                                         }
                                     })
                                     .join();
                             }) *
                   1e6 / static_cast<double>(iters);
        };
        {
            tinyrt::pool pool{{.workers = 2}};
            auto before = pool.stats().total();
            auto start = std::chrono::steady_clock::now();
            std::vector<row> two = {{"tinyrt task_group spawn+wait", empty_task_group(pool)},
                                    {"tinyrt::join", empty_join(pool)}};
            double secs =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            auto after = pool.stats().total();
            print_rows("empty spawn + wait, 2 workers (per fork-join):", two, "ns");
            std::printf("  parks per second during these runs: %.0f\n",
                        static_cast<double>(after.parks - before.parks) / secs);
        }
        std::vector<row> rows;
        tinyrt::pool pool{{.workers = 1}};
        rows.push_back({"tinyrt task_group spawn+wait", empty_task_group(pool)});
        rows.push_back({"tinyrt::join", empty_join(pool)});
#if TINYRT_BENCH_TBB
        {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
            tbb::task_arena arena(1);
            rows.push_back({"tbb::task_group run+wait", median_ms(runs,
                                                                  [&] {
                                                                      arena.execute([&] {
                                                                          for (long i = 0;
                                                                               i < iters; ++i) {
                                                                              tbb::task_group g;
                                                                              g.run([] {});
                                                                              g.wait();
                                                                          }
                                                                      });
                                                                  }) *
                                                            1e6 / static_cast<double>(iters)});
        }
#endif
#if TINYRT_BENCH_OPENMP
        rows.push_back({"OpenMP task+taskwait", median_ms(runs,
                                                          [&] {
#pragma omp parallel num_threads(1) shared(iters)
#pragma omp single
                                                              for (long i = 0; i < iters; ++i) {
#pragma omp task
                                                                  { sink = 0; }
#pragma omp taskwait
                                                              }
                                                          }) *
                                                    1e6 / static_cast<double>(iters)});
#endif
        print_rows("empty spawn + wait, 1 worker (per fork-join):", rows, "ns");
    }

    // map over 10 million ints.
    {
        const std::size_t n = 10'000'000;
        std::vector<int> in(n);
        for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<int>(i);
        auto f = [](int x) { return x * 3 + 1; };
        for (unsigned workers : {1U, 2U}) {
            std::vector<row> rows;
            {
                tinyrt::pool pool{{.workers = workers}};
                rows.push_back(
                    {"tinyrt pool.map", median_ms(runs, [&] { sink = pool.map(f, in)[n / 2]; })});
            }
            rows.push_back({"sequential loop", median_ms(runs, [&] {
                                std::vector<int> out(n);
                                for (std::size_t i = 0; i < n; ++i) out[i] = f(in[i]);
                                sink = out[n / 2];
                            })});
#if TINYRT_BENCH_OPENMP
            rows.push_back({"OpenMP parallel for", median_ms(runs, [&] {
                                std::vector<int> out(n);
                                const long count = static_cast<long>(n);
#pragma omp parallel for num_threads(static_cast <int>(workers)) schedule(static) \
    shared(out, in, f, count) default(none)
                                for (long i = 0; i < count; ++i)
                                    out[static_cast<std::size_t>(i)] =
                                        f(in[static_cast<std::size_t>(i)]);
                                sink = out[n / 2];
                            })});
#endif
            char title[128];
            std::snprintf(title, sizeof title, "map over 10M ints, %u worker%s:", workers,
                          workers == 1 ? "" : "s");
            print_rows(title, rows);
        }
    }
    return 0;
}
