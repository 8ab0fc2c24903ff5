// tinyrt::pool's construction and shutdown (the protocol is in pool.hpp):
// they run once per pool, so this file is compiled for size
// (runtime/CMakeLists.txt), while the worker loop (pool.cpp) and the waits
// (wait.cpp) are compiled for speed.
#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/pool.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tinyrt::detail {

namespace {

unsigned worker_count(pool_options o) {
    if (o.workers != 0) return o.workers;
    unsigned hw = detail::os_thread::hardware_concurrency();
    return hw != 0 ? hw : 1;
}

}  // namespace

sched_core::sched_core(pool_options options) : idle_(worker_count(options)), trace_(options.trace) {
    detail::asymmetric_fence_init();
    if (trace_ != nullptr) {
        // Numbers the traced pools of the process, so that steals name a
        // victim of the thief's own pool.
        static detail::atomic<std::uint32_t> traced_pools{0};
        // relaxed: only a distinct number is needed, nothing is published by it.
        trace_group_ = traced_pools.fetch_add(1, detail::relaxed);
        if (options.trace_name != nullptr) trace_name_ = trace_->intern(options.trace_name);
    }
    // Sized once, then filled: no growth path (push_back's) in the program.
    workers_.resize(worker_count(options));
    for (unsigned i = 0; i < workers_.size(); ++i)
        workers_[i] = std::make_unique<detail::worker>(this, i, &depot_);
    // Start the threads only once every worker exists: thieves index workers_.
    for (auto& w : workers_) {
        detail::worker* raw = w.get();
        w->thread.start(
            [](void* arg) noexcept -> void* {
                auto* self = static_cast<detail::worker*>(arg);
                self->owner->worker_main(*self);
                return nullptr;
            },
            raw);
    }
}

sched_core::~sched_core() {
    detail::worker* self = detail::tls_worker;
    if (self != nullptr && self->owner == this) {
        detail::fatal(
            "tinyrt::pool destroyed from one of its own workers (it would wait for itself)");
    }
    if (detail::tls_guest == this) {
        detail::fatal(
            "tinyrt::pool destroyed from one of its own tasks, run by a worker of another pool "
            "(shutdown waits for that task: it would wait for itself)");
    }
    stopping_.store(true, detail::seq_cst);     // shutdown step 1
    idle_.notify_all();                         // step 2
    for (auto& w : workers_) w->thread.join();  // steps 3-4
}

}  // namespace tinyrt::detail
