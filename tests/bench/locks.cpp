// bench_locks: nanoseconds per critical section and fairness of each lock,
// uncontended and with 2, 4 and 8 threads, in fixed-duration runs.
//
// Every thread loops { lock; ++shared counter; unlock; ++own count } until a
// stop flag rises. One run lasts --ms milliseconds; each configuration is run
// --runs times and the median ns per section is reported, with the fairness
// shares of the worst run: a thread's share is its acquisitions divided by
// the fair share (total / threads), so 1.00 is perfectly fair and 0.00 means
// a thread never got the lock. The shared counter, incremented under the lock
// without atomics, must equal the sum of the own counts: a lock that let two
// threads in at once would lose increments, and the run is reported as BROKEN.
//
// Usage: bench_locks [--ms 200] [--runs 5] [--threads 1,2,4,8] [--only NAME]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/sync.hpp"

#ifdef TINYRT_BENCH_HAVE_TBB
#include <oneapi/tbb/mutex.h>
#include <oneapi/tbb/queuing_mutex.h>
#include <oneapi/tbb/spin_mutex.h>
#endif

namespace {

using clock_type = std::chrono::steady_clock;

struct run_result {
    double ns_per_section = 0;
    double min_share = 0;
    double max_share = 0;
    bool exclusive = true;
};

struct alignas(64) per_thread {
    long count = 0;
};

// A lock adapter for oneTBB's scoped-lock-only queuing_mutex.
#ifdef TINYRT_BENCH_HAVE_TBB
struct tbb_queuing {
    tbb::queuing_mutex m;
};
#endif

template <typename Lock>
struct section {
    static void run(Lock& lock, long& shared) {
        std::lock_guard<Lock> guard(lock);
        ++shared;
    }
};
#ifdef TINYRT_BENCH_HAVE_TBB
template <>
struct section<tbb_queuing> {
    static void run(tbb_queuing& lock, long& shared) {
        tbb::queuing_mutex::scoped_lock guard(lock.m);
        ++shared;
    }
};
#endif

template <typename Lock>
run_result run_once(int threads, int ms) {
    Lock lock;
    long shared = 0;
    std::vector<per_thread> counts(static_cast<std::size_t>(threads));
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            long& mine = counts[static_cast<std::size_t>(t)].count;
            ready.fetch_add(1, std::memory_order_relaxed);   // a counter only; `go` orders the start
            while (!go.load(std::memory_order_acquire)) {    // pairs with the release store of `go`
                std::this_thread::yield();
            }
            while (!stop.load(std::memory_order_relaxed)) {  // a flag only; join() orders the results
                section<Lock>::run(lock, shared);
                ++mine;
            }
        });
    }
    while (ready.load(std::memory_order_relaxed) != threads) std::this_thread::yield();  // see above
    const auto start = clock_type::now();
    go.store(true, std::memory_order_release);  // pairs with the acquire loads in the threads
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    stop.store(true, std::memory_order_relaxed);  // a flag only; join() orders the results
    for (auto& th : pool) th.join();
    const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count();

    long total = 0, lo = counts[0].count, hi = counts[0].count;
    for (const auto& c : counts) {
        total += c.count;
        lo = std::min(lo, c.count);
        hi = std::max(hi, c.count);
    }
    const double fair = static_cast<double>(total) / threads;
    run_result r;
    r.ns_per_section = total > 0 ? ns / static_cast<double>(total) : 0;
    r.min_share = fair > 0 ? static_cast<double>(lo) / fair : 0;
    r.max_share = fair > 0 ? static_cast<double>(hi) / fair : 0;
    r.exclusive = shared == total;
    return r;
}

struct summary {
    double ns = 0;          // median over runs
    double min_share = 1;   // worst over runs
    double max_share = 1;   // worst over runs
    bool exclusive = true;
};

template <typename Lock>
summary measure(int threads, int ms, int runs) {
    std::vector<double> ns;
    summary s;
    for (int i = 0; i < runs; ++i) {
        run_result r = run_once<Lock>(threads, ms);
        ns.push_back(r.ns_per_section);
        s.min_share = std::min(s.min_share, r.min_share);
        s.max_share = std::max(s.max_share, r.max_share);
        s.exclusive = s.exclusive && r.exclusive;
    }
    std::sort(ns.begin(), ns.end());
    s.ns = ns[ns.size() / 2];
    return s;
}

struct lock_kind {
    const char* name;
    summary (*measure)(int, int, int);
};

std::vector<int> parse_threads(const char* text) {
    std::vector<int> out;
    for (const char* p = text; *p != '\0';) {
        char* end = nullptr;
        long v = std::strtol(p, &end, 10);
        if (end == p || v < 1 || v > 256) return {};
        out.push_back(static_cast<int>(v));
        p = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0') return {};
    }
    return out;
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr, "bench_locks: %s\nusage: bench_locks [--ms N] [--runs N] [--threads 1,2,4,8] [--only NAME]\n", why);
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    int ms = 200, runs = 5;
    std::vector<int> thread_counts{1, 2, 4, 8};
    std::string only;  // run only the locks whose name contains this (std::mutex always runs)
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") usage("measures ns per critical section and fairness of each lock");
        if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
        const char* value = argv[++i];
        if (arg == "--ms") {
            ms = std::atoi(value);
            if (ms < 1 || ms > 60000) usage("--ms must be between 1 and 60000");
        } else if (arg == "--runs") {
            runs = std::atoi(value);
            if (runs < 1 || runs > 101) usage("--runs must be between 1 and 101");
        } else if (arg == "--only") {
            only = value;
        } else if (arg == "--threads") {
            thread_counts = parse_threads(value);
            if (thread_counts.empty()) usage("--threads expects a list like 1,2,4,8");
        } else {
            usage(("unknown option " + arg).c_str());
        }
    }

    const lock_kind kinds[] = {
        {"std::mutex", measure<std::mutex>},
        {"tinyrt::mutex", measure<tinyrt::mutex>},
        {"tinyrt::spinlock", measure<tinyrt::spinlock>},
        {"tinyrt::ticket_lock", measure<tinyrt::ticket_lock>},
#ifdef TINYRT_BENCH_HAVE_TBB
        {"tbb::mutex", measure<tbb::mutex>},
        {"tbb::spin_mutex", measure<tbb::spin_mutex>},
        {"tbb::queuing_mutex", measure<tbb_queuing>},
#endif
    };

    std::printf("bench_locks: %d ms per run, median of %d runs, %u hardware threads\n", ms, runs,
                std::thread::hardware_concurrency());
    std::printf("share = a thread's acquisitions / fair share (worst run's min and max)\n\n");
    std::printf("%-20s %7s %12s %10s %9s %9s\n", "lock", "threads", "ns/section", "vs std", "min share",
                "max share");
    for (int threads : thread_counts) {
        double baseline = 0;
        for (const auto& kind : kinds) {
            if (baseline != 0 && std::strstr(kind.name, only.c_str()) == nullptr) continue;
            summary s = kind.measure(threads, ms, runs);
            if (baseline == 0) baseline = s.ns;
            std::printf("%-20s %7d %12.1f %9.2fx %9.2f %9.2f%s\n", kind.name, threads, s.ns, s.ns / baseline,
                        s.min_share, s.max_share, s.exclusive ? "" : "  BROKEN: sections overlapped");
            std::fflush(stdout);
        }
        std::printf("\n");
    }
    return 0;
}
