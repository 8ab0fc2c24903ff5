// describe(pool): see tinyrt/sched/detail/introspect.hpp.
#include "tinyrt/sched/detail/introspect.hpp"

#include <cstdarg>
#include <cstdio>

#include "tinyrt/sched/pool.hpp"

namespace tinyrt::detail {

namespace {

[[gnu::format(printf, 2, 3)]] void append(std::string& out, const char* fmt, ...) {
    char line[256];
    va_list args;
    va_start(args, fmt);
    const int n = std::vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    if (n > 0) out.append(line, static_cast<std::size_t>(n) < sizeof line ? n : sizeof line - 1);
}

}  // namespace

const char* activity_name(worker_activity a) noexcept {
    switch (a) {
        case worker_activity::outside:
            return "outside";
        case worker_activity::searching:
            return "searching";
        case worker_activity::parked:
            return "parked";
        case worker_activity::running:
            return "running";
        case worker_activity::waiting:
            return "waiting";
        case worker_activity::spinning:
            return "spinning";
        case worker_activity::blocked:
            return "blocked";
    }
    return "unknown";
}

// The one reader of sched_core's private state for reports.
class sched_inspector {
public:
    static std::string describe(const tinyrt::pool& p) {
        const sched_core& core = p;
        std::string out;
        unsigned searching = 0, parked = 0, waiting = 0;
        for (const auto& w : core.workers_) {
            const std::uintptr_t word = w->state.read();
            const worker_activity a = worker_state::activity(word);
            switch (a) {
                case worker_activity::searching:
                    ++searching;
                    break;
                case worker_activity::parked:
                    ++parked;
                    break;
                case worker_activity::waiting:
                case worker_activity::spinning:
                case worker_activity::blocked:
                    ++waiting;
                    break;
                default:
                    break;
            }
            append(out, "worker %u: %s", w->index, activity_name(a));
            if (const std::uintptr_t task = worker_state::task(word); task != 0)
                append(out, " task=%#llx", static_cast<unsigned long long>(task));
            append(out, " tasks_run=%llu private=%u deque=%s steal_request=%s\n",
                   static_cast<unsigned long long>(w->counters.tasks_run.get()),
                   w->queue.private_size_hint(), w->queue.looks_non_empty() ? "non-empty" : "empty",
                   w->queue.steal_requested() ? "yes" : "no");
        }
        // Snapshots for the report; no decision depends on them.
        const unsigned guests = core.guests_.load(relaxed);
        const bool stopping = core.stopping_.load(relaxed);  // as above
        append(out,
               "pool: workers=%zu injected=%lld outside_tickets=%lld searching=%u parked=%u "
               "waiting=%u guests=%u stopping=%s\n",
               core.workers_.size(), static_cast<long long>(core.injection_.size_hint()),
               static_cast<long long>(core.from_outside_.size_hint()), searching, parked, waiting,
               guests, stopping ? "yes" : "no");
        return out;
    }
};

std::string describe(const tinyrt::pool& p) {
    return sched_inspector::describe(p);
}

}  // namespace tinyrt::detail
