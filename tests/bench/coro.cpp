// bench_coro: tinyrt's event loop against Boost.Asio coroutines and Python's
// asyncio, in one run, on one loop thread each.
//
//   (a) gather of 100,000 coroutines, each sleeping 10 ms: wall time, CPU
//       time, and bytes per suspended coroutine = (peak RSS with 100,000 -
//       peak RSS with 1) / 99,999
//   (b) a million create_task + await of a trivial coroutine: ns each
//   (c) a million plain co_await of a trivial task: ns each
//
// Every measurement runs in a fresh child process (fork, or python3 for
// asyncio), so peak RSS (ru_maxrss, i.e. VmHWM) belongs to that case alone
// and no case warms another's allocator. Medians of --runs runs.
#include "tinyrt/coro.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "coro_cases.hpp"

using namespace std::chrono_literals;

namespace bench_coro {
namespace {

std::int64_t now_ns() {
    return tinyrt::event_loop::now_ns();
}

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "bench_coro: wrong result in %s\n", what);
        std::exit(1);
    }
}

tinyrt::task<int> sleeper() {
    co_await tinyrt::sleep_for(10ms);
    co_return 1;
}

tinyrt::task<int> trivial() {
    co_return 1;
}

}  // namespace

std::int64_t tinyrt_sleep(long n) {
    const auto start = now_ns();
    auto main = [](long count) -> tinyrt::task<long> {
        std::vector<tinyrt::task<int>> ts;
        ts.reserve(static_cast<std::size_t>(count));
        for (long i = 0; i < count; ++i) ts.push_back(sleeper());
        auto r = co_await tinyrt::gather(std::move(ts));
        long sum = 0;
        for (int v : r) sum += v;
        co_return sum;
    };
    check(tinyrt::run(main(n)) == n, "tinyrt sleep");
    return now_ns() - start;
}

std::int64_t tinyrt_spawn(long n) {
    std::int64_t took = 0;
    auto main = [](long count, std::int64_t& t) -> tinyrt::task<long> {
        long total = 0;
        const auto start = now_ns();
        for (long i = 0; i < count; ++i) total += co_await tinyrt::create_task(trivial());
        t = now_ns() - start;
        co_return total;
    };
    check(tinyrt::run(main(n, took)) == n, "tinyrt spawn");
    return took;
}

std::int64_t tinyrt_await(long n) {
    std::int64_t took = 0;
    auto main = [](long count, std::int64_t& t) -> tinyrt::task<long> {
        long total = 0;
        const auto start = now_ns();
        for (long i = 0; i < count; ++i) total += co_await trivial();
        t = now_ns() - start;
        co_return total;
    };
    check(tinyrt::run(main(n, took)) == n, "tinyrt await");
    return took;
}

}  // namespace bench_coro

namespace {

struct sample {
    double wall_ns = 0;
    double cpu_ns = 0;
    double maxrss_kb = 0;
};

double cpu_ns_of(const rusage& u) {
    auto ns = [](timeval t) {
        return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_usec) * 1e3;
    };
    return ns(u.ru_utime) + ns(u.ru_stime);
}

// Runs fn(n) in a forked child; the child reports wall, CPU and peak RSS.
std::optional<sample> in_child(const std::function<std::int64_t(long)>& fn, long n) {
    int fds[2];
    if (::pipe(fds) != 0) return std::nullopt;
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) {
        ::close(fds[0]);
        rusage before{};
        ::getrusage(RUSAGE_SELF, &before);
        const std::int64_t wall = fn(n);
        rusage after{};
        ::getrusage(RUSAGE_SELF, &after);
        sample s{static_cast<double>(wall), cpu_ns_of(after) - cpu_ns_of(before),
                 static_cast<double>(after.ru_maxrss)};
        [[maybe_unused]] ssize_t w = ::write(fds[1], &s, sizeof s);
        ::_exit(0);
    }
    ::close(fds[1]);
    sample s{};
    const ssize_t got = ::read(fds[0], &s, sizeof s);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (got != static_cast<ssize_t>(sizeof s) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::nullopt;
    return s;
}

#ifdef TINYRT_BENCH_PYTHON
std::optional<sample> python_case(const char* which, long n) {
    const std::string cmd = std::string(TINYRT_BENCH_PYTHON) + " " + TINYRT_BENCH_ASYNCIO_SCRIPT +
                            " " + which + " " + std::to_string(n);
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return std::nullopt;
    sample s{};
    long long wall = 0, cpu = 0, rss = 0;
    const int matched =
        std::fscanf(p, "wall_ns=%lld cpu_ns=%lld maxrss_kb=%lld", &wall, &cpu, &rss);
    const int rc = ::pclose(p);
    if (matched != 3 || rc != 0) return std::nullopt;
    s.wall_ns = static_cast<double>(wall);
    s.cpu_ns = static_cast<double>(cpu);
    s.maxrss_kb = static_cast<double>(rss);
    return s;
}
#endif

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

struct result {
    std::string runtime;
    double sleep_wall_ms = -1, sleep_cpu_ms = -1, bytes_per_sleeper = -1;
    double spawn_ns = -1, await_ns = -1;  // wall time per operation
    double spawn_cpu_ns = -1,
           await_cpu_ns = -1;  // CPU time per operation (robust on a shared machine)
};

using runner = std::function<std::optional<sample>(const char* which, long n)>;

result measure(const std::string& name, const runner& run, int runs, long n_sleep, long n_spawn,
               long n_await) {
    result r;
    r.runtime = name;
    std::vector<double> wall, cpu, rss_big, rss_one, spawn, await_, spawn_cpu, await_cpu;
    for (int i = 0; i < runs; ++i) {
        if (auto s = run("sleep", n_sleep)) {
            wall.push_back(s->wall_ns / 1e6);
            cpu.push_back(s->cpu_ns / 1e6);
            rss_big.push_back(s->maxrss_kb);
        }
        if (auto s = run("sleep", 1)) rss_one.push_back(s->maxrss_kb);
        if (auto s = run("spawn", n_spawn)) {
            spawn.push_back(s->wall_ns / static_cast<double>(n_spawn));
            spawn_cpu.push_back(s->cpu_ns / static_cast<double>(n_spawn));
        }
        if (auto s = run("await", n_await)) {
            await_.push_back(s->wall_ns / static_cast<double>(n_await));
            await_cpu.push_back(s->cpu_ns / static_cast<double>(n_await));
        }
    }
    if (!wall.empty()) {
        r.sleep_wall_ms = median(wall);
        r.sleep_cpu_ms = median(cpu);
    }
    if (!rss_big.empty() && !rss_one.empty()) {
        r.bytes_per_sleeper =
            (median(rss_big) - median(rss_one)) * 1024.0 / static_cast<double>(n_sleep - 1);
    }
    if (!spawn.empty()) {
        r.spawn_ns = median(spawn);
        r.spawn_cpu_ns = median(spawn_cpu);
    }
    if (!await_.empty()) {
        r.await_ns = median(await_);
        r.await_cpu_ns = median(await_cpu);
    }
    std::fprintf(stderr, "  measured %s\n", name.c_str());
    return r;
}

runner forked(std::int64_t (*sleep)(long), std::int64_t (*spawn)(long),
              std::int64_t (*await_fn)(long)) {
    return [=](const char* which, long n) -> std::optional<sample> {
        if (std::strcmp(which, "sleep") == 0) return in_child(sleep, n);
        if (std::strcmp(which, "spawn") == 0) return in_child(spawn, n);
        return in_child(await_fn, n);
    };
}

void cell(double v, const char* fmt) {
    if (v < 0) {
        std::printf(" %12s", "-");
    } else {
        std::printf(fmt, v);
    }
}

void ratio(double peer, double base) {
    if (peer < 0 || base <= 0) {
        std::printf(" %9s", "-");
    } else {
        std::printf(" %8.1fx", peer / base);
    }
}

long arg_long(int argc, char** argv, const char* name, long def) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) return std::strtol(argv[i + 1], nullptr, 10);
    }
    return def;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0) {
            std::printf(
                "bench_coro [--runs R] [--python-runs R] [--sleepers N] [--ops N] [--profile "
                "sleep|spawn|await]\n");
            return 0;
        }
    }
    // --profile CASE: run tinyrt's case 20 times in this process, for perf.
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--profile") != 0) continue;
        const std::string which = argv[i + 1];
        for (int k = 0; k < 20; ++k) {
            if (which == "sleep") bench_coro::tinyrt_sleep(100'000);
            if (which == "spawn") bench_coro::tinyrt_spawn(1'000'000);
            if (which == "await") bench_coro::tinyrt_await(1'000'000);
        }
        return 0;
    }
    const int runs = static_cast<int>(arg_long(argc, argv, "--runs", 5));
    const int py_runs = static_cast<int>(arg_long(argc, argv, "--python-runs", 3));
    const long n_sleep = arg_long(argc, argv, "--sleepers", 100'000);
    const long n_ops = arg_long(argc, argv, "--ops", 1'000'000);
    if (runs < 1 || py_runs < 0 || n_sleep < 2 || n_ops < 1) {
        std::fprintf(stderr, "bench_coro: --runs >= 1, --sleepers >= 2, --ops >= 1\n");
        return 2;
    }

    std::vector<result> results;
    std::fprintf(stderr, "bench_coro: %d runs each (python: %d), %ld sleepers, %ld ops\n", runs,
                 py_runs, n_sleep, n_ops);
    results.push_back(measure(
        "tinyrt",
        forked(bench_coro::tinyrt_sleep, bench_coro::tinyrt_spawn, bench_coro::tinyrt_await), runs,
        n_sleep, n_ops, n_ops));
#if TINYRT_BENCH_HAVE_ASIO
    results.push_back(
        measure("boost.asio",
                forked(bench_coro::asio_sleep, bench_coro::asio_spawn, bench_coro::asio_await),
                runs, n_sleep, n_ops, n_ops));
#endif
#ifdef TINYRT_BENCH_PYTHON
    if (py_runs > 0) {
        // asyncio is ~100x slower per operation: a tenth of the ops keeps the
        // run short; the result is still per operation.
        const long py_ops = std::max(1L, n_ops / 10);
        results.push_back(measure("asyncio", python_case, py_runs, n_sleep, py_ops, py_ops));
    }
#endif

    const result& base = results.front();
    std::printf(
        "\nbench_coro: one loop thread; medians; ns/coro = (wall - 10 ms) / sleepers; cpu = "
        "user+sys of\n"
        "the measuring process; ratios (wall) = runtime / tinyrt (higher = tinyrt "
        "faster/smaller)\n");
    std::printf("%-11s %12s %12s %12s %12s %12s %12s %12s %12s | %9s %9s %9s %9s\n", "runtime",
                "(a) wall ms", "(a) cpu ms", "(a) ns/coro", "(a) B/sleep", "(b) ns/task",
                "(b) cpu ns", "(c) ns/await", "(c) cpu ns", "wall", "bytes", "spawn", "await");
    for (const result& r : results) {
        std::printf("%-11s", r.runtime.c_str());
        cell(r.sleep_wall_ms, " %12.1f");
        cell(r.sleep_cpu_ms, " %12.1f");
        // Overhead per coroutine, creation to result: wall minus the 10 ms sleep.
        cell(r.sleep_wall_ms < 0 ? -1
                                 : (r.sleep_wall_ms - 10.0) * 1e6 / static_cast<double>(n_sleep),
             " %12.0f");
        cell(r.bytes_per_sleeper, " %12.0f");
        cell(r.spawn_ns, " %12.1f");
        cell(r.spawn_cpu_ns, " %12.1f");
        cell(r.await_ns, " %12.2f");
        cell(r.await_cpu_ns, " %12.2f");
        std::printf(" |");
        ratio(r.sleep_wall_ms, base.sleep_wall_ms);
        ratio(r.bytes_per_sleeper, base.bytes_per_sleeper);
        ratio(r.spawn_ns, base.spawn_ns);
        ratio(r.await_ns, base.await_ns);
        std::printf("\n");
    }
    std::printf(
        "targets for tinyrt: (a) < 20 ms wall (< 100 ns/coro), <= 128 B/sleeper, wall >= 8x "
        "faster than Asio's; (b) < 75 ns; (c) < 10 ns\n");
    return 0;
}
