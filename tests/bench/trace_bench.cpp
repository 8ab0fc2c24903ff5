// bench_trace: what tracing costs (not a pass/fail test).
//
// In one run, each figure the median of several interleaved repetitions:
//   - an event site on a thread that is not traced (the one branch);
//   - a recorded event (task_begin + task_end pairs), and one dropped by a
//     full buffer;
//   - the clocks a record could read: RDTSC (what it reads) and
//     steady_clock::now(), and whether RDTSC ever went back on this thread;
//   - write_json and write_html for a 100,000-event run of 4 threads, their
//     time and size.
//
// Usage: bench_trace [--quick]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/trace/clock.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

namespace {

namespace tr = tinyrt::trace;
using clk = std::chrono::steady_clock;

volatile std::uint64_t sink;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double ns_since(clk::time_point start, double per) {
    return std::chrono::duration<double, std::nano>(clk::now() - start).count() / per;
}

// n task_begin + task_end pairs. One copy per situation, never inlined nor
// merged (noipa), so
// that `valgrind --tool=callgrind --toggle-collect='*sites_recorded*'`
// counts the instructions of exactly one of them.
inline void site_pairs(int n) {
    for (int i = 0; i < n; ++i) {
        tr::task_begin(static_cast<std::uint64_t>(i), "t", 0, tr::task_kind::spawn);
        tr::task_end(static_cast<std::uint64_t>(i));
    }
}
[[gnu::noipa]] void sites_untraced(int n) {
    site_pairs(n);
}
[[gnu::noipa]] void sites_recorded(int n) {
    site_pairs(n);
}
[[gnu::noipa]] void sites_dropped(int n) {
    site_pairs(n);
}

// ns per site call on an untraced thread.
double off_site(int n) {
    const auto start = clk::now();
    sites_untraced(n);
    return ns_since(start, 2.0 * n);
}

// ns per recorded event; `capacity` below 2n makes the rest drops.
double on_site(int n, std::uint32_t capacity) {
    tr::recorder rec({.events_per_thread = capacity});
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    const auto start = clk::now();
    if (capacity >= 2u * static_cast<std::uint32_t>(n))
        sites_recorded(n);
    else
        sites_dropped(n);
    const double ns = ns_since(start, 2.0 * n);
    sink = rec.recorded();
    return ns;
}

double rdtsc_ns(int n) {
    std::uint64_t acc = 0;
    const auto start = clk::now();
    for (int i = 0; i < n; ++i) acc += tr::clock_ticks();
    sink = acc;
    return ns_since(start, n);
}

double steady_ns(int n) {
    std::int64_t acc = 0;
    const auto start = clk::now();
    for (int i = 0; i < n; ++i) acc += clk::now().time_since_epoch().count();
    sink = static_cast<std::uint64_t>(acc);
    return ns_since(start, n);
}

// Back steps of the trace clock on one thread over n reads.
long clock_back_steps(int n) {
    long back = 0;
    std::uint64_t last = tr::clock_ticks();
    for (int i = 0; i < n; ++i) {
        const std::uint64_t now = tr::clock_ticks();
        if (now < last) ++back;
        last = now;
        if (i % 100000 == 0) std::this_thread::yield();  // invite a migration
    }
    return back;
}

// A 100,000-event run: 4 threads x 12,500 begin/end pairs, nested by 5.
void record_large(tr::recorder& rec) {
    std::vector<std::thread> ts;
    for (std::uint32_t w = 0; w < 4; ++w) {
        ts.emplace_back([&rec, w] {
            auto att =
                rec.attach_this_thread(tr::track_kind::worker, w, "worker " + std::to_string(w));
            for (std::uint64_t i = 0; i < 2500; ++i) {
                for (std::uint64_t d = 0; d < 5; ++d)
                    tr::task_begin(w * 100000 + i * 5 + d, "bench.cpp",
                                   40 + static_cast<std::uint32_t>(d),
                                   d == 0 ? tr::task_kind::spawn : tr::task_kind::fork_join);
                for (std::uint64_t d = 5; d-- > 0;) tr::task_end(w * 100000 + i * 5 + d);
            }
        });
    }
    for (auto& t : ts) t.join();
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int reps = quick ? 3 : 9;
    const int n = quick ? 200000 : 1000000;

    std::vector<double> off, on, dropped, tsc, steady;
    for (int r = 0; r < reps; ++r) {  // interleaved: each repetition measures all five
        off.push_back(off_site(n));
        on.push_back(on_site(n, static_cast<std::uint32_t>(2 * n)));
        dropped.push_back(on_site(n, 16));
        tsc.push_back(rdtsc_ns(n));
        steady.push_back(steady_ns(n));
    }
    std::printf("bench_trace: ns per event, median of %d runs of %d events\n", reps, 2 * n);
    std::printf("  %-44s %8.2f ns\n", "site, thread not traced (one branch)", median(off));
    std::printf("  %-44s %8.2f ns\n", "site, recorded", median(on));
    std::printf("  %-44s %8.2f ns\n", "site, dropped (buffer full)", median(dropped));
    std::printf("  %-44s %8.2f ns\n", "clock: RDTSC (the trace clock)", median(tsc));
    std::printf("  %-44s %8.2f ns  (%.1fx RDTSC)\n", "clock: steady_clock::now()", median(steady),
                median(steady) / median(tsc));
    std::printf("  trace clock back steps in %d reads on one thread: %ld\n", 10 * n,
                clock_back_steps(10 * n));

    std::vector<double> json_ms, html_ms;
    std::size_t json_bytes = 0, html_bytes = 0;
    std::uint64_t events = 0;
    for (int r = 0; r < (quick ? 1 : 5); ++r) {
        tr::recorder rec({.events_per_thread = 1u << 16});
        rec.start();
        record_large(rec);
        rec.stop();
        events = rec.recorded();
        std::ostringstream j, h;
        auto start = clk::now();
        rec.write_json(j);
        json_ms.push_back(ns_since(start, 1e6));
        start = clk::now();
        rec.write_html(h);
        html_ms.push_back(ns_since(start, 1e6));
        json_bytes = j.str().size();
        html_bytes = h.str().size();
    }
    std::printf("writers, %llu events (4 threads, nested tasks):\n",
                static_cast<unsigned long long>(events));
    std::printf("  write_json %8.1f ms  %9zu bytes (%.0f per event)\n", median(json_ms), json_bytes,
                static_cast<double>(json_bytes) / static_cast<double>(events));
    std::printf("  write_html %8.1f ms  %9zu bytes (%.0f per event)\n", median(html_ms), html_bytes,
                static_cast<double>(html_bytes) / static_cast<double>(events));
    return 0;
}
