// The picture both writers draw, rebuilt from a recorder snapshot: per
// track, slices (tasks, coroutine resumptions, join helping) with their
// nesting depth, instant marks, and the flows between tracks with both ends.
//
// Rules: tracks are ordered workers (by group, then index), loops, other
// threads. Times are nanoseconds since the earliest event, clamped to never go
// back on a track. A begin without its end (the run was cut off, or the end
// was dropped) is closed at the track's last event and flagged unfinished;
// an end closes the innermost open slice of its type (task, coroutine,
// helping) with the same id, and whatever is still open inside that one
// (flagged unfinished); an end that matches nothing (recording started
// inside the slice) is counted in unmatched_ends and ignored. A flow is kept only when both ends
// exist: starts and ends of one flow id pair up first-in first-out in time order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinyrt/trace/event.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tinyrt::trace::timeline {

enum class slice_type : std::uint8_t { task, coroutine, help };

struct slice {
    std::uint64_t start = 0, end = 0;
    std::uint32_t name = 0;  // index into model::names
    slice_type type = slice_type::task;
    task_kind kind = task_kind::other;
    std::uint16_t depth = 0;
    bool unfinished = false;
    std::uint64_t task = 0;
};

struct instant {
    std::uint64_t ts = 0;
    event_kind kind = event_kind::mark;
    std::uint32_t name = 0;  // index into model::names (0: none)
    std::uint64_t task = 0;
    std::uint32_t peer = 0;
};

enum class flow_type : std::uint8_t { spawn, steal, to_thread, back, post };

struct flow {
    flow_type type = flow_type::spawn;
    std::uint32_t from_track = 0, to_track = 0;
    std::uint64_t from_ts = 0, to_ts = 0;
};

struct track {
    std::string name;
    track_kind kind = track_kind::thread;
    std::uint32_t index = 0, group = 0;
    std::uint64_t dropped = 0;
    std::uint64_t events = 0;
    std::uint64_t last_ts = 0;
    std::vector<slice> slices;      // sorted by start, a parent before its children
    std::vector<instant> instants;  // sorted by ts
};

struct model {
    std::vector<track> tracks;
    std::vector<std::string> names;  // names[0] is ""
    std::vector<flow> flows;
    std::uint64_t dropped = 0;  // all tracks plus threads past max_tracks
    std::uint64_t dropped_untracked = 0;
    std::uint64_t events = 0;
    std::uint64_t unmatched_ends = 0;
    std::uint64_t wall_ns = 0;  // first event to last
};

model build(recorder::snapshot s);

const char* to_string(flow_type t) noexcept;

// JSON string literal of `s` (quotes included); '<' is escaped as \u003c so
// the text is also safe inside an HTML <script> element.
void append_json_string(std::string& out, const std::string& s);

}  // namespace tinyrt::trace::timeline
