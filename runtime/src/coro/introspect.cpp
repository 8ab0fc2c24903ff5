// describe(event_loop): see tinyrt/coro/detail/introspect.hpp.
#include "tinyrt/coro/detail/introspect.hpp"

#include <cstdio>

#include "tinyrt/coro/event_loop.hpp"

namespace tinyrt::detail {

const char* activity_name(loop_activity a) noexcept {
    switch (a) {
        case loop_activity::stopped:
            return "stopped";
        case loop_activity::polling:
            return "polling";
        case loop_activity::running:
            return "running";
        case loop_activity::parked:
            return "parked";
    }
    return "unknown";
}

// The one reader of loop_core's private state for reports.
class loop_inspector {
public:
    static std::string describe(const tinyrt::event_loop& loop) {
        const loop_core& core = loop;
        const loop_probe& p = core.probe_;
        // Snapshots for the report (loop_probe.hpp); no decision depends on them.
        const loop_activity state = p.state.load(relaxed);
        const std::size_t posted = core.posted_pending_.load(relaxed);    // as above
        const std::size_t keep_alives = core.keep_alives_.load(relaxed);  // as above
        char line[320];
        const int n = std::snprintf(
            line, sizeof line,
            "loop %llu: %s ready=%zu timers=%zu fd_waits=%zu to_thread=%zu posted=%zu "
            "keep_alives=%zu tasks_run=%llu\n",
            static_cast<unsigned long long>(core.id_), activity_name(state), p.ready.load(relaxed),
            p.timers.load(relaxed), p.fd_waits.load(relaxed), p.external.load(relaxed), posted,
            keep_alives, static_cast<unsigned long long>(p.tasks_run.load(relaxed)));
        if (n <= 0) return {};
        return std::string(line, static_cast<std::size_t>(n) < sizeof line ? n : sizeof line - 1);
    }
};

std::string describe(const tinyrt::event_loop& loop) {
    return loop_inspector::describe(loop);
}

}  // namespace tinyrt::detail
