#include "timeline.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "tinyrt/trace/clock.hpp"

namespace tinyrt::trace::timeline {
namespace {

struct open_slice {
    std::size_t at;  // index in the track's slices
    slice_type type;
};

struct flow_end {
    std::uint64_t ts;
    std::uint32_t track;
    flow_type type;  // for starts
    // A spawn's name and kind (starts); the begun slice, when an end is a
    // task_begin (ends; npos otherwise).
    std::uint32_t name = 0;
    task_kind kind = task_kind::other;
    std::size_t slice = npos;
    static constexpr std::size_t npos = ~std::size_t{0};
};

slice_type type_of_begin(event_kind k) {
    if (k == event_kind::resume) return slice_type::coroutine;
    if (k == event_kind::help_begin) return slice_type::help;
    return slice_type::task;
}

// The name table: one entry per (pointer, line) pair, formatted once.
class names_table {
public:
    explicit names_table(std::vector<std::string>& names) : names_(names) { names_.assign(1, ""); }

    std::uint32_t id(const char* name, std::uint32_t line) {
        if (name == nullptr) return 0;
        auto [it, fresh] = ids_.try_emplace({name, line}, 0);
        if (fresh) {
            std::string text = name;
            if (line != 0) {
                // A source location: the file's base name and the line.
                if (auto slash = text.find_last_of('/'); slash != std::string::npos)
                    text.erase(0, slash + 1);
                text += ':';
                text += std::to_string(line);
            }
            it->second = static_cast<std::uint32_t>(names_.size());
            names_.push_back(std::move(text));
        }
        return it->second;
    }

    // A function's name from its signature as the compiler spells it
    // (std::source_location::function_name: "task<int> ns::fetch(int)" or
    // just "fetch"): "ns::fetch", anonymous namespaces left out; a lambda:
    // "lambda in <enclosing function>" where the compiler says which.
    std::uint32_t function_id(const char* signature) {
        if (signature == nullptr) return 0;
        auto [it, fresh] = ids_.try_emplace({signature, function_line}, 0);
        if (fresh) {
            it->second = static_cast<std::uint32_t>(names_.size());
            names_.push_back(bare_function_name(signature));
        }
        return it->second;
    }

private:
    static constexpr std::uint32_t function_line = UINT32_MAX;  // ids_ key of function_id

    static std::string bare_function_name(std::string_view signature) {
        std::string sig{signature};
        for (std::string_view anonymous : {"{anonymous}::", "(anonymous namespace)::"})
            for (auto at = sig.find(anonymous); at != std::string::npos; at = sig.find(anonymous))
                sig.erase(at, anonymous.size());
        // The name ends at the first '(' outside template arguments, and
        // starts after the last space before it (the return type's end). An
        // operator's own symbols ("operator()", "operator<") are part of it.
        int depth = 0;
        std::size_t end = sig.size(), start = 0;
        for (std::size_t i = 0; i < sig.size() && end == sig.size(); ++i) {
            if (sig.compare(i, 8, "operator") == 0 &&
                (i == 0 || sig[i - 1] == ':' || sig[i - 1] == ' ')) {
                i += 8;
                if (sig.compare(i, 2, "()") == 0) {
                    i += 1;
                } else {
                    while (i < sig.size() && std::string_view{"<>=!+-*/%^&|~[],"}.find(sig[i]) !=
                                                 std::string_view::npos)
                        ++i;
                    --i;
                }
                continue;
            }
            const char c = sig[i];
            if (c == '<') ++depth;
            if (c == '>' && depth > 0) --depth;
            if (c == ' ' && depth == 0) start = i + 1;
            if (c == '(' && depth == 0) end = i;
        }
        std::string name = sig.substr(start, end - start);
        if (name.empty()) name = sig;
        if (sig.find("<lambda") != std::string::npos || sig.find("(lambda at") != std::string::npos)
            return "lambda in " + name;
        if (name == "operator()") return "lambda or function object";  // clang's bare spelling
        return name;
    }

    std::vector<std::string>& names_;
    std::map<std::pair<const char*, std::uint32_t>, std::uint32_t> ids_;
};

}  // namespace

model build(recorder::snapshot s) {
    // Lanes in a fixed order, whatever order the threads attached in:
    // workers (by pool, then index), loops, other threads.
    std::stable_sort(s.tracks.begin(), s.tracks.end(), [](const auto& a, const auto& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        if (a.group != b.group) return a.group < b.group;
        return a.index < b.index;
    });
    model m;
    names_table names(m.names);
    tick_converter conv(s.origin, s.now);

    // The earliest event anywhere is time 0.
    std::uint64_t first_tick = UINT64_MAX;
    for (const auto& t : s.tracks) {
        if (!t.events.empty()) first_tick = std::min(first_tick, t.events.front().ts);
    }
    const std::uint64_t base = first_tick == UINT64_MAX ? 0 : conv.to_ns(first_tick);

    // Where each coroutine was created, from every track (a coroutine may be
    // made on one thread and become a root on another): per promise, in
    // time order, each naming at most one root.
    struct creation {
        std::uint64_t ts;
        std::uint32_t name;
        bool used = false;
    };
    std::map<std::uint64_t, std::vector<creation>> created;  // promise -> creations
    for (const auto& t : s.tracks)
        for (const record& r : t.events)
            if (r.kind == event_kind::coroutine_created)
                created[r.task].push_back({r.ts, names.function_id(r.name)});
    for (auto& [promise, list] : created)
        std::stable_sort(list.begin(), list.end(),
                         [](const creation& a, const creation& b) { return a.ts < b.ts; });
    // The latest unused creation of `promise` not after `ts`, or null.
    auto creation_before = [&](std::uint64_t promise, std::uint64_t ts) -> creation* {
        auto it = created.find(promise);
        if (it == created.end()) return nullptr;
        creation* found = nullptr;
        for (creation& c : it->second)
            if (c.ts <= ts) found = &c;
        return found != nullptr && !found->used ? found : nullptr;
    };

    std::map<std::uint64_t, std::vector<flow_end>> starts, ends;
    std::uint64_t last_anywhere = 0;
    for (std::uint32_t ti = 0; ti < s.tracks.size(); ++ti) {
        const auto& st = s.tracks[ti];
        track t;
        t.name = st.name;
        t.kind = st.kind;
        t.index = st.index;
        t.group = st.group;
        t.dropped = st.dropped;
        t.events = st.events.size();
        std::vector<open_slice> stack;
        std::map<std::uint64_t, std::uint32_t> coroutine_names;  // coroutine id -> name
        std::uint64_t now = 0;
        auto close = [&](std::size_t at, std::uint64_t end, bool unfinished) {
            t.slices[at].end = end;
            t.slices[at].unfinished = unfinished;
        };
        for (const record& r : st.events) {
            const std::uint64_t ns = conv.to_ns(r.ts);
            now = std::max(now, ns > base ? ns - base : 0);
            switch (r.kind) {
                case event_kind::task_begin:
                case event_kind::resume:
                case event_kind::help_begin: {
                    slice sl;
                    sl.start = now;
                    sl.end = now;
                    sl.type = type_of_begin(r.kind);
                    sl.kind = r.kind == event_kind::resume ? task_kind::coroutine
                                                           : static_cast<task_kind>(r.sub);
                    sl.name = r.kind == event_kind::help_begin && r.name == nullptr
                                  ? names.id("helping (join)", 0)
                                  : names.id(r.name, r.line);
                    sl.depth = static_cast<std::uint16_t>(stack.size());
                    sl.task = r.task;
                    stack.push_back({t.slices.size(), sl.type});
                    t.slices.push_back(sl);
                    // A resumption without a name takes its coroutine's
                    // (the spawn recorded when the root was created).
                    if (r.kind == event_kind::resume && r.name == nullptr) {
                        auto c = coroutine_names.find(r.task);
                        if (c != coroutine_names.end()) t.slices.back().name = c->second;
                    }
                    if (r.flow != 0 && r.kind == event_kind::task_begin)
                        ends[r.flow].push_back(
                            {now, ti, flow_type::spawn, 0, task_kind::other, t.slices.size() - 1});
                    break;
                }
                case event_kind::task_end:
                case event_kind::suspend:
                case event_kind::help_end: {
                    const slice_type want = r.kind == event_kind::suspend    ? slice_type::coroutine
                                            : r.kind == event_kind::help_end ? slice_type::help
                                                                             : slice_type::task;
                    auto it = std::find_if(stack.rbegin(), stack.rend(), [&](const open_slice& o) {
                        return o.type == want && t.slices[o.at].task == r.task;
                    });
                    if (it == stack.rend()) {
                        ++m.unmatched_ends;
                    } else {
                        // Anything opened inside it and not closed ends with it.
                        const std::size_t keep =
                            stack.size() - 1 - static_cast<std::size_t>(it - stack.rbegin());
                        while (stack.size() > keep + 1) {
                            close(stack.back().at, now, true);
                            stack.pop_back();
                        }
                        close(stack.back().at, now, false);
                        stack.pop_back();
                    }
                    if (r.flow != 0 && r.kind == event_kind::task_end)
                        starts[r.flow].push_back({now, ti, flow_type::back});
                    break;
                }
                case event_kind::coroutine_created:
                    break;  // gathered above
                case event_kind::coroutine_root: {
                    // Not drawn: names the root's resumptions from here on
                    // (a later spawn of it, create_task's line, wins). A
                    // node is recycled: an earlier root's name never carries
                    // over; a creation names one root.
                    coroutine_names.erase(r.task);
                    if (creation* c = creation_before(r.flow, r.ts)) {
                        coroutine_names[r.task] = c->name;
                        c->used = true;
                    }
                    break;
                }
                default: {
                    instant in;
                    in.ts = now;
                    in.kind = r.kind;
                    in.name = names.id(r.name, r.line);
                    in.task = r.task;
                    in.peer = r.peer;
                    t.instants.push_back(in);
                    if (r.kind == event_kind::spawn &&
                        static_cast<task_kind>(r.sub) == task_kind::coroutine)
                        coroutine_names[r.task] = in.name;
                    if (r.flow != 0) {
                        if (r.kind == event_kind::spawn)
                            starts[r.flow].push_back({now, ti, flow_type::spawn, in.name,
                                                      static_cast<task_kind>(r.sub)});
                        else if (r.kind == event_kind::to_thread_out)
                            starts[r.flow].push_back({now, ti, flow_type::to_thread});
                        else if (r.kind == event_kind::post)
                            starts[r.flow].push_back({now, ti, flow_type::post});
                        else if (r.kind == event_kind::to_thread_back ||
                                 r.kind == event_kind::post_run)
                            ends[r.flow].push_back({now, ti, flow_type::back});
                    }
                    break;
                }
            }
        }
        while (!stack.empty()) {
            close(stack.back().at, now, true);
            stack.pop_back();
        }
        t.last_ts = now;
        last_anywhere = std::max(last_anywhere, now);
        m.events += t.events;
        m.dropped += t.dropped;
        m.tracks.push_back(std::move(t));
    }
    m.dropped_untracked = s.dropped_untracked;
    m.dropped += s.dropped_untracked;
    m.wall_ns = last_anywhere;

    // Steals: an arrow from the victim's lane to the thief's, at the steal.
    for (std::uint32_t ti = 0; ti < m.tracks.size(); ++ti) {
        const track& thief = m.tracks[ti];
        for (const instant& in : thief.instants) {
            if (in.kind != event_kind::steal) continue;
            for (std::uint32_t vi = 0; vi < m.tracks.size(); ++vi) {
                const track& v = m.tracks[vi];
                if (vi != ti && v.kind == track_kind::worker && v.group == thief.group &&
                    v.index == in.peer) {
                    m.flows.push_back({flow_type::steal, vi, ti, in.ts, in.ts});
                    break;
                }
            }
        }
    }
    // Spawn, to_thread and post flows: pair each id's starts and ends in order.
    for (auto& [id, from] : starts) {
        auto e = ends.find(id);
        if (e == ends.end()) continue;
        auto& to = e->second;
        auto by_ts = [](const flow_end& a, const flow_end& b) { return a.ts < b.ts; };
        std::stable_sort(from.begin(), from.end(), by_ts);
        std::stable_sort(to.begin(), to.end(), by_ts);
        const std::size_t n = std::min(from.size(), to.size());
        for (std::size_t i = 0; i < n; ++i) {
            m.flows.push_back({from[i].type, from[i].track, to[i].track, from[i].ts, to[i].ts});
            // A task begun without a name takes its spawn's name and kind.
            if (to[i].slice != flow_end::npos && from[i].type == flow_type::spawn) {
                slice& sl = m.tracks[to[i].track].slices[to[i].slice];
                if (sl.name == 0) sl.name = from[i].name;
                if (from[i].kind != task_kind::other) sl.kind = from[i].kind;
            }
        }
    }
    // What is still nameless is named by its type.
    for (track& t : m.tracks) {
        for (slice& sl : t.slices) {
            if (sl.name != 0) continue;
            if (sl.type == slice_type::coroutine) sl.name = names.id("coroutine", 0);
            if (sl.type == slice_type::task) sl.name = names.id("task", 0);
        }
    }
    return m;
}

const char* to_string(flow_type t) noexcept {
    switch (t) {
        case flow_type::spawn:
            return "spawn";
        case flow_type::steal:
            return "steal";
        case flow_type::to_thread:
            return "to_thread";
        case flow_type::back:
            return "back";
        case flow_type::post:
            return "post";
    }
    return "flow";
}

void append_json_string(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            case '<':
                out += "\\u003c";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

}  // namespace tinyrt::trace::timeline
