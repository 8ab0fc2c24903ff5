// The pool's timeline work (sched/detail/trace_sites.hpp). Referenced only by
// the recorder's constructor, so linked only into programs that make one.
#include "tinyrt/sched/detail/trace_sites.hpp"

#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/track_name.hpp"
#include "tinyrt/sched/detail/task.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt::detail {

namespace {

// A block's address is its task id and the id of its spawn-to-run flow
// (sites.hpp: an id is reused only after its end is recorded, as a recycled
// block is). The name and kind travel with the spawn event; the timeline
// gives them to the task's begin.
std::uint64_t trace_id(const task_header* b) noexcept {
    return reinterpret_cast<std::uintptr_t>(b);
}

void spawn(trace::recorder& rec, const task_header* b, const char* name, std::uint32_t line,
           trace::task_kind kind) {
    trace::spawn_from(&rec, trace_id(b), name, line, kind, trace_id(b));
}

// This thread's track in `rec`: the thread may be traced for something else
// (a loop on a worker with its own recorder); then a run is not ours to
// record there. Null when no track can be made.
trace::buffer* track_here(trace::recorder& rec) noexcept {
    trace::buffer* track = trace::current_buffer();
    if (track != nullptr && track->owner() == &rec) return track;
#if TINYRT_EXCEPTIONS
    try {
        return rec.buffer_for_this_thread();
    } catch (...) {
        return nullptr;  // no memory for a track: this run goes unrecorded
    }
#else
    return rec.buffer_for_this_thread();
#endif
}

// run() between task b's begin and end on `track`. run() may recycle the
// block: only its id is used after it.
template <typename Block, typename Run>
void record_run(trace::recorder& rec, Block* b, trace::task_kind kind, Run run) noexcept {
    trace::buffer* track = track_here(rec);
    if (track == nullptr) return run(b);
    const std::uint64_t id = trace_id(b);
    track->record(trace::event_kind::task_begin, id, nullptr, id, 0, 0,
                  static_cast<std::uint8_t>(kind));
    run(b);
    track->record(trace::event_kind::task_end, id);
}

void run(trace::recorder& rec, task_header* b, trace::task_kind kind,
         void (*run)(task_header*) noexcept) noexcept {
    record_run(rec, b, kind, run);
}

void run_claimed(trace::recorder& rec, task_block* b, trace::task_kind kind,
                 void (*execute)(task_block*) noexcept) noexcept {
    record_run(rec, b, kind, execute);
}

trace::thread_attachment attach_worker(trace::recorder& rec, const char* pool_name, unsigned index,
                                       std::uint32_t group) {
    return rec.attach_this_thread(trace::track_kind::worker, index,
                                  track_name(pool_name, "worker", index), group);
}

}  // namespace

const pool_trace_sites pool_trace_table{spawn, run, run_claimed, attach_worker};

}  // namespace tinyrt::detail
