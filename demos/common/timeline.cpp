#include "common/timeline.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

namespace demo {

timeline_sink::timeline_sink() = default;
timeline_sink::~timeline_sink() = default;

timeline_sink& timeline() {
    static timeline_sink sink;
    return sink;
}

void timeline_sink::add_flags(args& a) {
    a.add("trace", json_path_,
          "write the run's timeline to FILE as Chrome trace-event JSON (open it in "
          "ui.perfetto.dev or chrome://tracing)");
    a.add("html", html_path_,
          "write the run's timeline to FILE as one self-contained HTML page (any browser, "
          "offline)");
    a.add("trace-events", events_per_thread_,
          "with --trace/--html: events kept per thread; later ones are counted as dropped", 1,
          1L << 24);
}

tinyrt::trace::recorder* timeline_sink::recorder() {
    if (!enabled()) return nullptr;
    std::call_once(made_, [this] {
        rec_ = std::make_unique<tinyrt::trace::recorder>(tinyrt::trace::recorder_options{
            .events_per_thread = static_cast<std::uint32_t>(events_per_thread_)});
        rec_->start();
    });
    return rec_.get();
}

void timeline_sink::run_as_task(const std::string& track, const char* name,
                                const std::function<void()>& body) {
    tinyrt::trace::recorder* rec = recorder();
    if (rec == nullptr) return body();
    auto attached = rec->attach_this_thread(tinyrt::trace::track_kind::thread, 0, track);
    // The thread's own address tells its task from the others' in the JSON.
    const auto id = reinterpret_cast<std::uintptr_t>(&attached);
    tinyrt::trace::task_begin(id, name, 0, tinyrt::trace::task_kind::other);
    body();
    tinyrt::trace::task_end(id);
}

void timeline_sink::write() {
    if (!rec_) {
        if (enabled()) recorder();  // nothing ran: the files still say so
        if (!rec_) return;
    }
    rec_->stop();
    auto fail = [](const char* flag, const std::string& path) {
        std::fprintf(stderr, "--%s %s: cannot write the file: %s\n", flag, path.c_str(),
                     std::strerror(errno));
        std::exit(1);
    };
    if (!json_path_.empty() && !rec_->write_json(json_path_)) fail("trace", json_path_);
    if (!html_path_.empty() && !rec_->write_html(html_path_)) fail("html", html_path_);
    std::printf("timeline: %llu events recorded, %llu dropped",
                static_cast<unsigned long long>(rec_->recorded()),
                static_cast<unsigned long long>(rec_->dropped()));
    if (!json_path_.empty()) std::printf("; JSON %s", json_path_.c_str());
    if (!html_path_.empty()) std::printf("; HTML %s", html_path_.c_str());
    std::printf("\n");
    std::fflush(stdout);
}

tinyrt::pool_options pool_options(unsigned workers, const char* label) {
    return {.workers = workers, .trace = timeline().recorder(), .trace_name = label};
}

void observe(tinyrt::event_loop& loop) {
    loop.set_trace(timeline().recorder());
}

}  // namespace demo
