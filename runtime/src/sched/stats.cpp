// pool.stats(), in its own object so that a program that never asks for
// the counters does not link the code that copies them.
#include "tinyrt/sched/pool.hpp"

namespace tinyrt::detail {

pool_stats sched_core::stats() const {
    pool_stats s;
    s.workers.reserve(workers_.size());
    for (const auto& w : workers_) s.workers.push_back(w->counters.snapshot());
    // a counter; no data is published through it
    s.external_spawns = external_spawns_.load(detail::relaxed);
    return s;
}

}  // namespace tinyrt::detail
