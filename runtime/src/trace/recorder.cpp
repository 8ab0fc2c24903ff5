// The recorder's slow paths: attaching threads, interning names, snapshots.
// Everything here takes the mutex (a new buffer's memory is prepared before
// it); nothing here runs at an event site.
#include "tinyrt/trace/recorder.hpp"

#include <utility>

#include "tinyrt/coro/detail/trace_sites.hpp"
#include "tinyrt/sched/detail/trace_sites.hpp"

namespace tinyrt::trace {
namespace {

// Source of recorder serials. README, "Global state".
detail::atomic<std::uint64_t> next_recorder_serial{1};

// The tracks this thread got from buffer_for_this_thread (they have no
// attachment to end them), one per recorder for the last few recorders it
// used, so that a thread working for several traced pools in turn (a guest
// joining their tasks) keeps one lane in each. The serial, not the pointer,
// tells whose a track is: a recorder may be gone and another one live at its
// address. README, "Global state".
struct lazy_tracks {
    static constexpr unsigned ways = 4;
    std::uint64_t serial[ways] = {};
    buffer* buf[ways] = {};
    unsigned next = 0;  // the entry a new recorder's track replaces (round robin)

    buffer* find(std::uint64_t s) const noexcept {
        for (unsigned i = 0; i < ways; ++i)
            if (serial[i] == s) return buf[i];
        return nullptr;
    }
    void add(std::uint64_t s, buffer* b) noexcept {
        serial[next] = s;
        buf[next] = b;
        next = (next + 1) % ways;
    }
    void forget(std::uint64_t s) noexcept {
        for (unsigned i = 0; i < ways; ++i)
            if (serial[i] == s) {
                serial[i] = 0;
                buf[i] = nullptr;
            }
    }
};
thread_local lazy_tracks tls_lazy_tracks;

}  // namespace

buffer::buffer(const recorder* owner, const detail::atomic<bool>* on, std::uint32_t capacity,
               track_kind kind, std::uint32_t index, std::uint32_t group, std::string name)
    : owner_(owner),
      on_(on),
      data_(capacity == 0 ? nullptr : new trace::record[capacity]),
      capacity_(capacity),
      kind_(kind),
      index_(index),
      group_(group),
      name_(std::move(name)) {}

recorder::recorder(recorder_options options)
    : options_(options),
      // relaxed: only uniqueness matters, no data is published with it.
      serial_(next_recorder_serial.fetch_add(1, detail::relaxed)),
      overflow_(std::make_unique<buffer>(this, &on_, 0, track_kind::thread, 0, 0,
                                         "(threads past max_tracks)")),
      origin_(clock_sample::now()),
      pool_sites_(&detail::pool_trace_table),
      loop_sites_(&detail::loop_trace_table) {
    if (options_.events_per_thread == 0) options_.events_per_thread = 1;
}

recorder::~recorder() {
    // This thread's lazy track dies with us; other threads' ones are told
    // apart by the serial.
    tls_lazy_tracks.forget(serial_);
}

void recorder::start() noexcept {
    // relaxed: see buffer::record; nothing else is published by the flag.
    on_.store(true, detail::relaxed);
}

void recorder::stop() noexcept {
    // relaxed: see buffer::record.
    on_.store(false, detail::relaxed);
}

bool recorder::recording() const noexcept {
    // relaxed: see buffer::record.
    return on_.load(detail::relaxed);
}

buffer* recorder::add_buffer(track_kind kind, std::uint32_t index, std::uint32_t group,
                             std::string name) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (buffers_.size() >= options_.max_tracks) return overflow_.get();
    }
    // Allocated and written through outside the lock: threads that attach
    // at once (a new pool's workers) do not wait for each other's pages.
    auto made = std::make_unique<buffer>(this, &on_, options_.events_per_thread, kind, index, group,
                                         std::move(name));
    std::lock_guard<std::mutex> lock(mutex_);
    if (buffers_.size() >= options_.max_tracks) return overflow_.get();  // others came first
    buffers_.push_back(std::move(made));
    return buffers_.back().get();
}

thread_attachment recorder::attach_this_thread(track_kind kind, std::uint32_t index,
                                               std::string name, std::uint32_t group) {
    buffer* mine = add_buffer(kind, index, group, std::move(name));
    buffer* previous = std::exchange(detail::tls_trace_buffer, mine);
    return thread_attachment(mine, previous);
}

buffer* recorder::buffer_for_this_thread() {
    if (buffer* b = current_buffer(); b != nullptr && b->owner() == this) return b;
    if (buffer* lazy = tls_lazy_tracks.find(serial_)) return lazy;
    std::uint32_t index;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        index = next_thread_index_++;
    }
    buffer* b = add_buffer(track_kind::thread, index, 0, "thread " + std::to_string(index));
    tls_lazy_tracks.add(serial_, b);
    return b;
}

void recorder::name_this_thread(std::string name) {
    buffer* b = buffer_for_this_thread();
    if (b == overflow_.get()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    b->name_ = std::move(name);
}

const char* recorder::intern(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& s : names_) {
        if (s == name) return s.c_str();
    }
    return names_.emplace_back(name).c_str();
}

std::uint64_t recorder::dropped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::uint64_t n = overflow_->dropped();
    for (const auto& b : buffers_) n += b->dropped();
    return n;
}

std::uint64_t recorder::recorded() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::uint64_t n = 0;
    for (const auto& b : buffers_) n += b->size();
    return n;
}

recorder::snapshot recorder::take_snapshot() const {
    snapshot s;
    s.origin = origin_;
    std::lock_guard<std::mutex> lock(mutex_);
    s.tracks.reserve(buffers_.size());
    for (const auto& b : buffers_) {
        // Dropped first: a drop counted after the count was read belongs to
        // an event past the copied prefix either way.
        const std::uint64_t dropped = b->dropped();
        const std::uint32_t n = b->size();
        s.tracks.push_back({b->kind(), b->index(), b->group(), b->name_,
                            std::vector<record>(b->data(), b->data() + n), dropped});
    }
    s.dropped_untracked = overflow_->dropped();
    s.now = clock_sample::now();
    return s;
}

}  // namespace tinyrt::trace
