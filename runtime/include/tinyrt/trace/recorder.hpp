// tinyrt::trace::recorder: switch recording on, attach threads, write the
// Chrome trace-event JSON or the self-contained HTML timeline.
//
//   tinyrt::trace::recorder rec({.events_per_thread = 1 << 16});
//   rec.start();
//   {   // on each thread to trace (a pool worker, a loop's thread):
//       auto a = rec.attach_this_thread(tinyrt::trace::track_kind::worker, 2, "worker 2");
//       tinyrt::trace::task_begin(...);   // sites.hpp
//   }
//   rec.stop();
//   rec.write_json("run.json");           // chrome://tracing, ui.perfetto.dev
//   rec.write_html("run.html");           // any browser, offline
//
// Memory: each attached thread gets one buffer of events_per_thread records
// (48 bytes each) when it attaches, at most max_tracks of them; events past
// a full buffer, and from threads past max_tracks, are counted and dropped,
// and both outputs report the count. Nothing is allocated after attaching,
// nothing blocks.
//
// Lifetime: the recorder must outlive every thread_attachment and every
// event site that may reach it (a pool or loop given a recorder must be
// destroyed first). Writing is allowed at any time from any thread; it sees
// what each thread had recorded when it read that thread's count.
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/trace/buffer.hpp"
#include "tinyrt/trace/clock.hpp"
#include "tinyrt/trace/current.hpp"
#include "tinyrt/trace/event.hpp"

namespace tinyrt::detail {
struct pool_trace_sites;
struct loop_trace_sites;
}  // namespace tinyrt::detail

namespace tinyrt::trace {

struct recorder_options {
    std::uint32_t events_per_thread = 1u << 16;  // records per track; at least 1
    std::uint32_t max_tracks = 256;              // threads that get a buffer
};

// While alive, this thread's sites write to one buffer (a track). Restores
// the thread's previous buffer when destroyed; destroy it on the thread that
// made it, in reverse order of creation.
// Inline, as is every call the pool and the loop make into a recorder (the
// virtual functions below): a program that never makes a recorder links
// none of the recorder's code.
class [[nodiscard]] thread_attachment {
public:
    thread_attachment() noexcept = default;
    thread_attachment(thread_attachment&& o) noexcept
        : mine_(std::exchange(o.mine_, nullptr)),
          previous_(std::exchange(o.previous_, nullptr)),
          active_(std::exchange(o.active_, false)) {}
    thread_attachment& operator=(thread_attachment&&) = delete;
    ~thread_attachment() {
        if (active_) detail::tls_trace_buffer = previous_;
    }

    buffer* get() const noexcept { return mine_; }

private:
    friend class recorder;
    thread_attachment(buffer* mine, buffer* previous) noexcept
        : mine_(mine), previous_(previous), active_(true) {}

    buffer* mine_ = nullptr;
    buffer* previous_ = nullptr;
    bool active_ = false;
};

class recorder {
public:
    explicit recorder(recorder_options options = {});
    recorder(const recorder&) = delete;
    recorder& operator=(const recorder&) = delete;
    virtual ~recorder();

    // Recording is off until start(); stop() switches it off again (events
    // recorded so far stay). Any thread.
    void start() noexcept;
    void stop() noexcept;
    bool recording() const noexcept;

    // Gives the calling thread a new track (a buffer of its own) and makes
    // it the target of this thread's event sites until the attachment is
    // destroyed. `index` is the worker's index for track_kind::worker (steal
    // events name their victim by it) and a free number otherwise. With
    // max_tracks reached, the thread shares a buffer of capacity 0 whose
    // events are all counted as dropped. `group` tells pools apart: a
    // steal's victim is the worker of the thief's group with that index (a
    // pool passes one number for all its workers, e.g. a counter of pools).
    // Allocates; never call it from an event site.
    virtual thread_attachment attach_this_thread(track_kind kind, std::uint32_t index,
                                                 std::string name, std::uint32_t group = 0);

    // The calling thread's buffer in this recorder: its attached one, else a
    // track of kind `thread` made on first use ("thread N") and kept for the
    // thread's life. For sites on threads that nobody attached (a thread
    // outside every pool that spawns). Past max_tracks, the overflow buffer.
    // A thread keeps such tracks for the last four recorders it used, so
    // that working for several traced pools in turn keeps one lane in each.
    virtual buffer* buffer_for_this_thread();

    // Names the calling thread's track (made as by buffer_for_this_thread).
    void name_this_thread(std::string name);

    // A copy of `name` that lives as long as the recorder, for record names
    // that are not string literals. Takes a lock; call it once per name, not
    // per event.
    virtual const char* intern(std::string_view name);

    // Events dropped so far: buffers that were full, threads past max_tracks.
    std::uint64_t dropped() const;
    // Events recorded so far, over all tracks.
    std::uint64_t recorded() const;

    // Chrome trace-event format ("JSON object format"). The file variant
    // returns false (and leaves errno) when the file cannot be written.
    void write_json(std::ostream& out) const;
    bool write_json(const std::string& path) const;
    // One self-contained HTML page: the events as compact JSON, the view's
    // script and style inline, no network access.
    void write_html(std::ostream& out) const;
    bool write_html(const std::string& path) const;

    // A consistent copy of the tracks for the writers (internal use).
    struct track_snapshot {
        track_kind kind;
        std::uint32_t index;
        std::uint32_t group;
        std::string name;
        std::vector<record> events;
        std::uint64_t dropped;
    };
    struct snapshot {
        std::vector<track_snapshot> tracks;
        std::uint64_t dropped_untracked = 0;  // events of threads past max_tracks
        clock_sample origin, now;
    };
    snapshot take_snapshot() const;

    // What a traced pool does at its spawns, runs and worker starts
    // (sched/detail/trace_sites.hpp), and a traced loop at its start, its
    // posts and its coroutine hooks (coro/detail/trace_sites.hpp); internal
    // use. Reached through the recorder so that programs without one do not
    // link that code.
    const detail::pool_trace_sites& pool_sites() const noexcept { return *pool_sites_; }
    const detail::loop_trace_sites& loop_sites() const noexcept { return *loop_sites_; }

private:
    buffer* add_buffer(track_kind kind, std::uint32_t index, std::uint32_t group, std::string name);

    recorder_options options_;
    std::uint64_t serial_;  // tells this recorder from an earlier one at the same address
    detail::atomic<bool> on_{false};
    // Capacity 0: the target of threads past max_tracks, counting their events.
    std::unique_ptr<buffer> overflow_;
    clock_sample origin_;
    mutable std::mutex mutex_;  // guards buffers_, names_, the buffers' names
    std::vector<std::unique_ptr<buffer>> buffers_;
    std::deque<std::string> names_;
    std::uint32_t next_thread_index_ = 0;
    const detail::pool_trace_sites* pool_sites_;
    const detail::loop_trace_sites* loop_sites_;
};

}  // namespace tinyrt::trace
