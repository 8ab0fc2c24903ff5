// recorder::write_json: the Chrome trace-event format ("JSON Object
// Format" of the Trace Event Format document), which chrome://tracing and
// ui.perfetto.dev open.
//
//   one tid per track, named by "thread_name" metadata (ph M)
//   tasks, coroutine resumptions, join helping: complete events (ph X)
//   parks, steals, timers, posts, fd waits, spawns: instant events (ph i, s t)
//   flows (ph s / f, bp e: bound to the enclosing slice at each end):
//     spawn to run, victim to thief, to_thread out and back, post to run
//   dropped events: otherData.dropped_events, and an instant "events
//   dropped" at the end of every track that lost some
//
// Events are written track by track, each in time order (a parent slice
// before the slices it encloses).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <ostream>

#include "timeline.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/version.hpp"

namespace tinyrt::trace {
namespace {

using timeline::append_json_string;

// Microseconds with nanosecond digits, as the format's "ts" and "dur" want.
void append_us(std::string& out, std::uint64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(ns / 1000),
                  static_cast<unsigned long long>(ns % 1000));
    out += buf;
}

void append_uint(std::string& out, std::uint64_t v) {
    out += std::to_string(v);
}

struct item {
    std::uint64_t ts;
    int order;  // at equal times: flow ends after their slice opens, starts before it closes
    std::string text;
};

void head(std::string& s, const char* ph, std::uint32_t tid, std::uint64_t ts) {
    s += "{\"ph\":\"";
    s += ph;
    s += "\",\"pid\":1,\"tid\":";
    append_uint(s, tid);
    s += ",\"ts\":";
    append_us(s, ts);
}

}  // namespace

void recorder::write_json(std::ostream& out) const {
    const timeline::model m = timeline::build(take_snapshot());
    std::vector<std::vector<item>> per_track(m.tracks.size());

    for (std::uint32_t ti = 0; ti < m.tracks.size(); ++ti) {
        const timeline::track& t = m.tracks[ti];
        auto& items = per_track[ti];
        const std::uint32_t tid = ti + 1;
        for (const timeline::slice& sl : t.slices) {
            std::string s;
            head(s, "X", tid, sl.start);
            s += ",\"dur\":";
            append_us(s, sl.end - sl.start);
            s += ",\"name\":";
            append_json_string(s,
                               m.names[sl.name].empty() ? std::string("task") : m.names[sl.name]);
            s += ",\"cat\":";
            append_json_string(s,
                               sl.type == timeline::slice_type::help ? "help" : to_string(sl.kind));
            s += ",\"args\":{\"task\":";
            append_uint(s, sl.task);
            s += ",\"depth\":";
            append_uint(s, sl.depth);
            if (sl.unfinished) s += ",\"unfinished\":true";
            s += "}}";
            items.push_back({sl.start, 1 + sl.depth, std::move(s)});
        }
        for (const timeline::instant& in : t.instants) {
            std::string s;
            head(s, "i", tid, in.ts);
            s += ",\"s\":\"t\",\"name\":";
            std::string name = to_string(in.kind);
            if (in.name != 0) name += " " + m.names[in.name];
            append_json_string(s, name);
            s += ",\"cat\":\"";
            s += in.kind >= event_kind::resume && in.kind <= event_kind::to_thread_back ? "loop"
                                                                                        : "sched";
            s += "\",\"args\":{\"task\":";
            append_uint(s, in.task);
            if (in.kind == event_kind::steal) {
                s += ",\"victim\":";
                append_uint(s, in.peer);
            } else if (in.kind == event_kind::fd_wait || in.kind == event_kind::fd_ready) {
                s += ",\"fd\":";
                append_uint(s, in.peer);
            } else if (in.kind == event_kind::timer_set) {
                s += ",\"delay_us\":";
                append_uint(s, in.peer);
            }
            s += "}}";
            items.push_back({in.ts, 0, std::move(s)});
        }
        if (t.dropped != 0) {
            std::string s;
            head(s, "i", tid, t.last_ts);
            s += ",\"s\":\"t\",\"name\":\"events "
                 "dropped\",\"cat\":\"tinyrt\",\"args\":{\"dropped\":";
            append_uint(s, t.dropped);
            s += "}}";
            items.push_back({t.last_ts, 1 << 20, std::move(s)});
        }
    }
    std::uint64_t flow_id = 0;
    for (const timeline::flow& f : m.flows) {
        ++flow_id;
        for (int end = 0; end < 2; ++end) {
            const std::uint32_t ti = end == 0 ? f.from_track : f.to_track;
            const std::uint64_t ts = end == 0 ? f.from_ts : f.to_ts;
            std::string s;
            head(s, end == 0 ? "s" : "f", ti + 1, ts);
            if (end == 1) s += ",\"bp\":\"e\"";
            s += ",\"id\":";
            append_uint(s, flow_id);
            s += ",\"name\":\"";
            s += timeline::to_string(f.type);
            s += "\",\"cat\":\"flow\"}";
            per_track[ti].push_back({ts, end == 0 ? 1 << 19 : 1 << 18, std::move(s)});
        }
    }

    std::string s;
    s += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    s += "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":"
         "\"tinyrt\"}}";
    out << s;
    for (std::uint32_t ti = 0; ti < m.tracks.size(); ++ti) {
        s.clear();
        s += ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":";
        append_uint(s, ti + 1);
        s += ",\"name\":\"thread_name\",\"args\":{\"name\":";
        append_json_string(s, m.tracks[ti].name);
        s += "}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":";
        append_uint(s, ti + 1);
        s += ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":";
        append_uint(s, ti + 1);
        s += "}}";
        out << s;
        auto& items = per_track[ti];
        std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) {
            return a.ts != b.ts ? a.ts < b.ts : a.order < b.order;
        });
        for (const item& it : items) out << ",\n" << it.text;
    }
    s.clear();
    s += "\n],\"otherData\":{\"producer\":\"tinyrt ";
    s += TINYRT_VERSION_STRING;
    s += "\",\"recorded_events\":";
    append_uint(s, m.events);
    s += ",\"dropped_events\":";
    append_uint(s, m.dropped);
    s += ",\"dropped_untracked\":";
    append_uint(s, m.dropped_untracked);
    s += ",\"unmatched_ends\":";
    append_uint(s, m.unmatched_ends);
    s += ",\"wall_ns\":";
    append_uint(s, m.wall_ns);
    s += ",\"tracks\":[";
    for (std::uint32_t ti = 0; ti < m.tracks.size(); ++ti) {
        const auto& t = m.tracks[ti];
        if (ti != 0) s += ",";
        s += "{\"tid\":";
        append_uint(s, ti + 1);
        s += ",\"name\":";
        append_json_string(s, t.name);
        s += ",\"kind\":\"";
        s += to_string(t.kind);
        s += "\",\"index\":";
        append_uint(s, t.index);
        s += ",\"events\":";
        append_uint(s, t.events);
        s += ",\"dropped\":";
        append_uint(s, t.dropped);
        s += "}";
    }
    s += "]}}\n";
    out << s;
}

bool recorder::write_json(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return false;
    write_json(f);
    f.flush();
    return static_cast<bool>(f);
}

}  // namespace tinyrt::trace
