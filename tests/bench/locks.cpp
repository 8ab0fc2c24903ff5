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
// On a machine that is busy with other work the threads do not all run at
// once, and the contended rows drift toward the uncontended ones (and the
// shares toward 0): the load average printed at the top says how busy it was.
//
// Usage: bench_locks [--ms 200] [--runs 5] [--threads 1,2,4,8] [--only NAME]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
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
    // The threads start together from a latch, asleep in the kernel until
    // then. Not a sched_yield loop: on Linux's EEVDF scheduler (6.6+) every
    // yield pushes the thread's virtual deadline a slice later, so a thread
    // that yielded a few thousand times waiting for the start can then go
    // unscheduled for most of a run (measured: ~190 ms of a 200 ms run).
    std::latch start(threads + 1);
    std::atomic<bool> stop{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            long& mine = counts[static_cast<std::size_t>(t)].count;
            start.arrive_and_wait();
            while (!stop.load(std::memory_order_relaxed)) {  // a flag only; join() orders the results
                section<Lock>::run(lock, shared);
                ++mine;
            }
        });
    }
    start.arrive_and_wait();
    const auto start_time = clock_type::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    stop.store(true, std::memory_order_relaxed);  // a flag only; join() orders the results
    for (auto& th : pool) th.join();
    const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - start_time).count();

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

summary summarize(const std::vector<run_result>& results) {
    std::vector<double> ns;
    summary s;
    for (const auto& r : results) {
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
    run_result (*run)(int threads, int ms);
    // The target for this lock, given its ratio to std::mutex and its
    // summary; nullptr for the peers, which have none.
    const char* (*target)(double ratio, const summary& s);
};

const char* mutex_target(double ratio, const summary&) { return ratio <= 1.0 ? "met (<= std)" : "MISSED (<= std)"; }
const char* spinlock_target(double ratio, const summary& s) {
    return ratio <= 1.5 && s.min_share >= 0.5 ? "met (<= 1.5x, share >= 0.5)" : "MISSED (<= 1.5x, share >= 0.5)";
}
const char* ticket_target(double ratio, const summary&) { return ratio <= 10 ? "met (<= 10x)" : "MISSED (<= 10x)"; }

std::string load_average() {
    std::FILE* f = std::fopen("/proc/loadavg", "r");
    if (f == nullptr) return "unknown";
    char buf[128] = {};
    const bool ok = std::fgets(buf, sizeof buf, f) != nullptr;
    std::fclose(f);
    std::string text = ok ? buf : "unknown";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

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

    std::vector<lock_kind> kinds = {
        {"std::mutex", run_once<std::mutex>, nullptr},
        {"tinyrt::mutex", run_once<tinyrt::mutex>, mutex_target},
        {"tinyrt::spinlock", run_once<tinyrt::spinlock>, spinlock_target},
        {"tinyrt::ticket_lock", run_once<tinyrt::ticket_lock>, ticket_target},
#ifdef TINYRT_BENCH_HAVE_TBB
        {"tbb::mutex", run_once<tbb::mutex>, nullptr},
        {"tbb::spin_mutex", run_once<tbb::spin_mutex>, nullptr},
        {"tbb::queuing_mutex", run_once<tbb_queuing>, nullptr},
#endif
    };
    // std::mutex (the baseline) always runs; --only filters the others.
    kinds.erase(std::remove_if(kinds.begin() + 1, kinds.end(),
                               [&](const lock_kind& k) { return std::strstr(k.name, only.c_str()) == nullptr; }),
                kinds.end());

    std::printf("bench_locks: %d ms per run, median of %d runs, %u hardware threads, load average %s\n", ms,
                runs, std::thread::hardware_concurrency(), load_average().c_str());
    std::printf("runs interleave the locks (run 1 of each, run 2 of each, ...) so a change in machine load\n"
                "hits every lock alike; share = a thread's acquisitions / fair share (worst run's min and max)\n\n");
    std::printf("%-20s %7s %12s %10s %9s %9s  %s\n", "lock", "threads", "ns/section", "vs std", "min share",
                "max share", "target (2+ threads)");
    for (int threads : thread_counts) {
        std::vector<std::vector<run_result>> results(kinds.size());
        for (int r = 0; r < runs; ++r) {
            for (std::size_t k = 0; k < kinds.size(); ++k) results[k].push_back(kinds[k].run(threads, ms));
        }
        const double baseline = summarize(results[0]).ns;
        double ticket_ns = -1, queuing_ns = -1;
        for (std::size_t k = 0; k < kinds.size(); ++k) {
            const summary s = summarize(results[k]);
            if (std::strcmp(kinds[k].name, "tinyrt::ticket_lock") == 0) ticket_ns = s.ns;
            if (std::strcmp(kinds[k].name, "tbb::queuing_mutex") == 0) queuing_ns = s.ns;
            const double ratio = s.ns / baseline;
            const char* target = kinds[k].target != nullptr && threads >= 2 ? kinds[k].target(ratio, s) : "";
            std::printf("%-20s %7d %12.1f %9.2fx %9.2f %9.2f  %s%s\n", kinds[k].name, threads, s.ns, ratio,
                        s.min_share, s.max_share, target, s.exclusive ? "" : "  BROKEN: sections overlapped");
        }
        // The two FIFO locks side by side: ticket_lock's time over queuing_mutex's.
        if (ticket_ns > 0 && queuing_ns > 0 && threads >= 2)
            std::printf("ticket_lock / queuing_mutex at %d threads: %.2fx (target <= 1.00: %s)\n", threads,
                        ticket_ns / queuing_ns, ticket_ns <= queuing_ns ? "met" : "MISSED");
        std::printf("\n");
        std::fflush(stdout);
    }
    return 0;
}
