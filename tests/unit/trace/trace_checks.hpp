// Checks that a Chrome trace-event document is well formed the way the
// trace tests need, and gathers what the tests then compare.
//
//   - an object with a "traceEvents" array and "otherData.dropped_events"
//   - every event has ph, pid, tid; all but metadata have ts, in order per tid
//   - complete events (X) have dur >= 0 and nest on their tid: one that
//     starts inside another ends inside it (every begin has its end, on the
//     same track); no B/E pairs are left open
//   - every flow id has exactly one start (s) and one finish (f), the start
//     not later than the finish
//   - every tid that has events is named by thread_name metadata
//   - every steal names a task that some complete event ran
// A violation throws std::runtime_error saying which.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "json.hpp"

namespace trace_test {

struct checked_trace {
    std::map<std::uint64_t, std::string> track_names;                            // tid -> name
    std::vector<const json*> slices;                                             // X events
    std::vector<const json*> instants;                                           // i events
    std::map<std::string, int> flows_by_name;                                    // complete flows
    std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> flow_tids;  // id -> s, f tid
    std::uint64_t dropped = 0;
    std::set<std::string> slice_names;

    std::string track_of(const json& e) const { return track_names.at(e["tid"].u64()); }
    std::vector<const json*> slices_named(const std::string& name) const {
        std::vector<const json*> out;
        for (const json* s : slices)
            if ((*s)["name"].str == name) out.push_back(s);
        return out;
    }
};

// The result points into `doc`, which must outlive it.
checked_trace check_trace(json&& doc) = delete;
inline checked_trace check_trace(const json& doc) {
    auto bad = [](const std::string& what) { throw std::runtime_error("trace: " + what); };
    checked_trace r;
    if (doc.t != json::type::object || !doc.has("traceEvents")) bad("no traceEvents");
    if (!doc.has("otherData") || !doc["otherData"].has("dropped_events")) bad("no dropped_events");
    r.dropped = doc["otherData"]["dropped_events"].u64();
    const json& events = doc["traceEvents"];
    if (events.t != json::type::array) bad("traceEvents is not an array");

    std::map<std::uint64_t, double> last_ts;
    std::map<std::uint64_t, std::vector<double>> open_ends;  // per tid, X end times on the stack
    std::set<std::uint64_t> tids_used;
    struct flow_ends {
        int starts = 0, finishes = 0;
        double s_ts = 0, f_ts = 0;
        std::uint64_t s_tid = 0, f_tid = 0;
        std::string name;
    };
    std::map<std::uint64_t, flow_ends> flows;
    std::set<std::uint64_t> tasks_run;
    std::vector<const json*> steals;

    for (const json& e : events.arr) {
        if (!e.has("ph") || !e.has("pid") || !e.has("tid")) bad("event without ph/pid/tid");
        const std::string& ph = e["ph"].str;
        const std::uint64_t tid = e["tid"].u64();
        if (ph == "M") {
            if (e["name"].str == "thread_name") r.track_names[tid] = e["args"]["name"].str;
            continue;
        }
        if (!e.has("ts")) bad(ph + " event without ts");
        const double ts = e["ts"].num;
        tids_used.insert(tid);
        if (last_ts.count(tid) && ts < last_ts[tid])
            bad("time goes back on tid " + std::to_string(tid));
        last_ts[tid] = ts;
        auto& stack = open_ends[tid];
        if (ph == "X") {
            const double dur = e["dur"].num;
            if (dur < 0) bad("negative duration");
            // Nesting: it must end within every slice it starts inside
            // (times are printed to the nanosecond: 1e-6 us of rounding).
            while (!stack.empty() && stack.back() <= ts) stack.pop_back();
            if (!stack.empty() && ts + dur > stack.back() + 1e-6)
                bad("slice " + e["name"].str + " overlaps its parent's end");
            stack.push_back(ts + dur);
            r.slices.push_back(&e);
            r.slice_names.insert(e["name"].str);
            if (e.has("args") && e["args"].has("task")) tasks_run.insert(e["args"]["task"].u64());
        } else if (ph == "i") {
            r.instants.push_back(&e);
            if (e["name"].str == "steal") steals.push_back(&e);
        } else if (ph == "s" || ph == "f") {
            flow_ends& f = flows[e["id"].u64()];
            f.name = e["name"].str;
            if (ph == "s") {
                ++f.starts;
                f.s_ts = ts;
                f.s_tid = tid;
            } else {
                ++f.finishes;
                f.f_ts = ts;
                f.f_tid = tid;
            }
        } else if (ph == "B" || ph == "E") {
            bad("unexpected B/E event");
        }
    }
    for (const auto& [id, f] : flows) {
        if (f.starts != 1 || f.finishes != 1)
            bad("flow " + std::to_string(id) + " (" + f.name + ") lacks one of its ends");
        if (f.s_ts > f.f_ts) bad("flow " + std::to_string(id) + " finishes before it starts");
        ++r.flows_by_name[f.name];
        r.flow_tids[id] = {f.s_tid, f.f_tid};
    }
    for (std::uint64_t tid : tids_used)
        if (!r.track_names.count(tid)) bad("tid " + std::to_string(tid) + " has no thread_name");
    for (const json* s : steals) {
        if (!tasks_run.count((*s)["args"]["task"].u64()))
            bad("a steal names task " + std::to_string((*s)["args"]["task"].u64()) +
                ", which never ran");
    }
    return r;
}

}  // namespace trace_test
