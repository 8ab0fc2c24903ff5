// --stats for every demo: what each tinyrt::pool and event_loop did, printed
// as small tables after the run.
//
// A cell creates its pools and loops itself; before one is destroyed it
// hands it to the demo's sink (demo::stats().report(label, pool)), which
// copies the counters only when --stats was given, so without the flag a
// cell prints exactly what it printed before. main registers the flag
// (demo::stats().add_flag(args)) and prints the tables at its end
// (demo::stats().print()).
#pragma once

#include <string>
#include <vector>

#include "common/args.hpp"
#include "common/timeline.hpp"
#include "tinyrt/coro/loop_stats.hpp"
#include "tinyrt/sched/stats.hpp"

namespace tinyrt {
class pool;
class event_loop;
}  // namespace tinyrt

namespace demo {

class stats_sink {
public:
    // Registers --stats on `a`, and the timeline's --trace and --html
    // (common/timeline.hpp).
    void add_flag(args& a);
    bool enabled() const noexcept { return enabled_; }

    // Copies what `p` or `loop` did so far, under `label` (the cell's
    // name). Call it when the pool's work is done, before it is destroyed.
    // Does nothing without --stats.
    void report(const std::string& label, const tinyrt::pool& p);
    void report(const std::string& label, const tinyrt::event_loop& loop);

    // With --stats: one table per pool (a row per worker and the total) and
    // one for all loops (a row per loop), in the order reported. Then the
    // timeline's files, if asked for.
    void print() const;

private:
    void print_tables() const;
    struct pool_entry {
        std::string label;
        tinyrt::pool_stats stats;
    };
    struct loop_entry {
        std::string label;
        tinyrt::loop_stats stats;
    };
    bool enabled_ = false;
    std::vector<pool_entry> pools_;
    std::vector<loop_entry> loops_;
};

// The demo's one sink.
stats_sink& stats();

// One line of what a loop did ("  [loop: 3 tarefas, ...]"), which gather
// prints after each cell with --stats.
std::string loop_summary_line(const tinyrt::loop_stats& st);

}  // namespace demo
