// --trace FILE and --html FILE for every demo: the run's timeline
// (tinyrt::trace::recorder), written at the end as Chrome trace-event JSON
// (Perfetto, chrome://tracing) and as a self-contained HTML page.
//
// The flags are registered with --stats (stats_sink::add_flag) and the files
// written by stats_sink::print(), so a demo only builds its pools with
// demo::pool_options(...) and hands its loops to demo::observe(loop). With
// neither flag nothing is recorded and every pool and loop runs untraced.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/args.hpp"
#include "tinyrt/sched/pool.hpp"

namespace tinyrt {
class event_loop;
}  // namespace tinyrt

namespace demo {

class timeline_sink {
public:
    timeline_sink();
    ~timeline_sink();
    timeline_sink(const timeline_sink&) = delete;
    timeline_sink& operator=(const timeline_sink&) = delete;

    // Registers --trace FILE, --html FILE and --trace-events N on `a`.
    void add_flags(args& a);
    bool enabled() const noexcept { return !json_path_.empty() || !html_path_.empty(); }

    // The recorder, recording since its first use, while a file was asked
    // for; null otherwise. Lives until the program ends (after every pool).
    tinyrt::trace::recorder* recorder();

    // Runs body() on the calling thread (a demo's own std::thread) as a task
    // named `name` on a track of its own named `track`; just body() when
    // nothing is recorded. `name` must be a string literal.
    void run_as_task(const std::string& track, const char* name, const std::function<void()>& body);

    // Writes the files asked for and says so on stdout; a file that cannot
    // be written is an error (a message on stderr, exit status 1).
    void write();

private:
    std::string json_path_, html_path_;
    long events_per_thread_ = 1L << 14;  // a demo makes a few hundred per thread
    std::once_flag made_;                // the first use may come from any thread (soma's, lista's)
    std::unique_ptr<tinyrt::trace::recorder> rec_;
};

// The demo's one timeline.
timeline_sink& timeline();

// A demo pool's options: `workers` workers, recorded with --trace/--html,
// its lanes named "<label> worker N".
tinyrt::pool_options pool_options(unsigned workers, const char* label);

// Records `loop` with --trace/--html (call before running it).
void observe(tinyrt::event_loop& loop);

}  // namespace demo
