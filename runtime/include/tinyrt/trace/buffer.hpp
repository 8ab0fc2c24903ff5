// tinyrt::trace::buffer: one track's events, written by one thread.
//
// A buffer is an array of `capacity` records allocated, and written through
// once (so that recording never takes a page fault), when its thread
// attaches (recorder.hpp); it never grows. record() is the hot path: no
// lock, no allocation, no system call — a relaxed check that the recorder
// is on, a clock read, six stores and a release store of the count. When
// the array is full the event is counted in dropped() and discarded, so
// memory stays bounded and a site never blocks.
//
// One writer (the attached thread), any number of readers (the one exception,
// the recorder's capacity-0 overflow buffer, only ever counts drops): the recorder's
// writers read the count with acquire and then only records below it, which
// the writer never touches again, so reading while a thread still records
// is race-free and sees a prefix of its events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/trace/clock.hpp"
#include "tinyrt/trace/current.hpp"
#include "tinyrt/trace/event.hpp"

namespace tinyrt::trace {

class recorder;

class buffer {
public:
    buffer(const recorder* owner, const detail::atomic<bool>* on, std::uint32_t capacity,
           track_kind kind, std::uint32_t index, std::uint32_t group, std::string name);
    buffer(const buffer&) = delete;
    buffer& operator=(const buffer&) = delete;

    // Appends one event (only from the attached thread). Never blocks.
    void record(event_kind kind, std::uint64_t task = 0, const char* name = nullptr,
                std::uint64_t flow = 0, std::uint32_t peer = 0, std::uint32_t line = 0,
                std::uint8_t sub = 0) noexcept {
        // relaxed: start()/stop() need not order anything; a site that misses
        // the change by a few events records or skips them, both correct.
        if (!on_->load(detail::relaxed)) return;
        // relaxed: this thread is the count's only writer, so it reads its own store.
        const std::uint32_t n = count_.load(detail::relaxed);
        if (n == capacity_) [[unlikely]] {
            // relaxed: a count, read only as a total. An RMW, not load+store,
            // because the recorder's overflow buffer (capacity 0) is shared by
            // every thread past max_tracks; this is the cold path.
            dropped_.fetch_add(1, detail::relaxed);
            return;
        }
        trace::record& r = data_[n];
        r.ts = clock_ticks();
        r.name = name;
        r.task = task;
        r.flow = flow;
        r.peer = peer;
        r.line = line;
        r.kind = kind;
        r.sub = sub;
        // release: publishes record n; pairs with the acquire in size().
        count_.store(n + 1, detail::release);
    }

    // The records written so far; data()[0 .. size()) are complete. Any thread.
    std::uint32_t size() const noexcept {
        // acquire: pairs with the release in record(), so records below it are visible.
        return count_.load(detail::acquire);
    }
    const trace::record* data() const noexcept { return data_.get(); }
    std::uint32_t capacity() const noexcept { return capacity_; }
    std::uint64_t dropped() const noexcept {
        // relaxed: a count; exact once the writing thread has stopped recording.
        return dropped_.load(detail::relaxed);
    }

    const recorder* owner() const noexcept { return owner_; }
    track_kind kind() const noexcept { return kind_; }
    std::uint32_t index() const noexcept { return index_; }
    std::uint32_t group() const noexcept { return group_; }

private:
    friend class recorder;

    const recorder* owner_;
    const detail::atomic<bool>* on_;
    std::unique_ptr<trace::record[]> data_;
    std::uint32_t capacity_;
    detail::atomic<std::uint32_t> count_{0};
    detail::atomic<std::uint64_t> dropped_{0};
    track_kind kind_;
    std::uint32_t index_;
    std::uint32_t group_;
    std::string name_;  // guarded by the owner's mutex
};

}  // namespace tinyrt::trace
