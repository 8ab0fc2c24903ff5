#include "common/stats.hpp"

#include <cstdio>

#include "common/heading.hpp"
#include "common/timeline.hpp"
#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/sched/pool.hpp"

namespace demo {
namespace {

unsigned long long ull(std::uint64_t v) {
    return static_cast<unsigned long long>(v);
}

void worker_row(const char* name, const tinyrt::worker_stats& w) {
    std::printf("  %-8s %8llu %8llu %8llu %9llu %8llu %8llu\n", name, ull(w.tasks_run),
                ull(w.tasks_spawned), ull(w.tasks_stolen), ull(w.steal_attempts), ull(w.parks),
                ull(w.wakeups));
}

}  // namespace

stats_sink& stats() {
    static stats_sink sink;
    return sink;
}

void stats_sink::add_flag(args& a) {
    a.add_switch("stats", enabled_,
                 "after the run, print what each pool and event loop did (pool.stats(), "
                 "loop.stats())");
    timeline().add_flags(a);
}

void stats_sink::report(const std::string& label, const tinyrt::pool& p) {
    if (enabled_) pools_.push_back({label, p.stats()});
}

void stats_sink::report(const std::string& label, const tinyrt::event_loop& loop) {
    if (enabled_) loops_.push_back({label, loop.stats()});
}

void stats_sink::print() const {
    print_tables();
    timeline().write();
}

void stats_sink::print_tables() const {
    if (!enabled_) return;
    print_heading("--stats");
    if (pools_.empty() && loops_.empty()) {
        std::printf(
            "(this demo runs no tinyrt::pool or event_loop: its threads are std::thread)\n");
        return;
    }
    for (const pool_entry& e : pools_) {
        std::printf("pool: %s (%zu workers)\n", e.label.c_str(), e.stats.workers.size());
        std::printf("  %-8s %8s %8s %8s %9s %8s %8s\n", "worker", "run", "spawned", "stolen",
                    "attempts", "parks", "wakeups");
        for (std::size_t i = 0; i < e.stats.workers.size(); ++i)
            worker_row(std::to_string(i).c_str(), e.stats.workers[i]);
        worker_row("total", e.stats.total());
        std::printf("  injected (spawned from outside the pool): %llu\n",
                    ull(e.stats.external_spawns));
    }
    if (!loops_.empty()) {
        std::printf("event loops:\n");
        std::printf("  %-36s %6s %8s %6s %6s %9s %8s %6s %8s\n", "loop", "tasks", "resumed",
                    "timers", "fired", "cancelled", "fd waits", "posts", "wakeups");
        for (const loop_entry& e : loops_) {
            const tinyrt::loop_stats& s = e.stats;
            std::printf("  %-36.36s %6llu %8llu %6llu %6llu %9llu %8llu %6llu %8llu\n",
                        e.label.c_str(), ull(s.tasks_spawned), ull(s.tasks_run), ull(s.timers_set),
                        ull(s.timers_fired), ull(s.timers_cancelled), ull(s.io_waits), ull(s.posts),
                        ull(s.wakeups));
        }
    }
    std::fflush(stdout);
}

std::string loop_summary_line(const tinyrt::loop_stats& st) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "  [loop: %llu tarefas, %llu execuções, %llu timers, %llu disparados, %llu "
                  "despertares]",
                  ull(st.tasks_spawned), ull(st.tasks_run), ull(st.timers_set),
                  ull(st.timers_fired), ull(st.wakeups));
    return buf;
}

}  // namespace demo
