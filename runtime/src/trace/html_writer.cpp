// recorder::write_html: one page, nothing outside it. The run goes in as
// compact JSON inside <script type="application/json" id="tinyrt-data">
// (every '<' in it escaped, so no "</script>" can end it early), followed by
// the view's style and script (view.css, view.js). The data's layout is
// described at the top of view.js.
#include <fstream>
#include <ostream>

#include "timeline.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "view_assets.hpp"

namespace tinyrt::trace {
namespace {

using timeline::append_json_string;

void append_uint(std::string& out, std::uint64_t v) {
    out += std::to_string(v);
    out += ',';
}

// Replaces the trailing comma of a list (if any) with `close`.
void close_list(std::string& out, char close) {
    if (out.back() == ',')
        out.back() = close;
    else
        out += close;
}

int slice_code(const timeline::slice& sl) {
    // view.js's KINDS: the task kinds, then 5 for join helping.
    return sl.type == timeline::slice_type::help ? 5 : static_cast<int>(sl.kind);
}

std::string data_json(const timeline::model& m) {
    std::string s;
    s.reserve(256 + m.events * 24);
    s += "{\"wall\":";
    append_uint(s, m.wall_ns);
    s += "\"events\":";
    append_uint(s, m.events);
    s += "\"dropped\":";
    append_uint(s, m.dropped);
    s += "\"event_kinds\":[";
    for (int k = 0; k < event_kind_count; ++k) {
        append_json_string(s, to_string(static_cast<event_kind>(k)));
        s += ',';
    }
    close_list(s, ']');
    s += ",\"flow_types\":[\"spawn\",\"steal\",\"to_thread\",\"back\",\"post\"],\"names\":[";
    for (const std::string& n : m.names) {
        append_json_string(s, n);
        s += ',';
    }
    close_list(s, ']');
    s += ",\"tracks\":[";
    for (const timeline::track& t : m.tracks) {
        s += "{\"name\":";
        append_json_string(s, t.name);
        s += ",\"kind\":\"";
        s += to_string(t.kind);
        s += "\",\"dropped\":";
        append_uint(s, t.dropped);
        s += "\"s\":[";
        for (const timeline::slice& sl : t.slices) {
            append_uint(s, sl.start);
            append_uint(s, sl.end - sl.start);
            append_uint(s, sl.name);
            append_uint(s, static_cast<std::uint64_t>(slice_code(sl)));
            append_uint(s, sl.depth);
            append_uint(s, sl.unfinished ? 1 : 0);
        }
        close_list(s, ']');
        s += ",\"i\":[";
        for (const timeline::instant& in : t.instants) {
            append_uint(s, in.ts);
            append_uint(s, static_cast<std::uint64_t>(in.kind));
            append_uint(s, in.name);
        }
        close_list(s, ']');
        s += "},";
    }
    close_list(s, ']');
    s += ",\"flows\":[";
    for (const timeline::flow& f : m.flows) {
        append_uint(s, static_cast<std::uint64_t>(f.type));
        append_uint(s, f.from_track);
        append_uint(s, f.from_ts);
        append_uint(s, f.to_track);
        append_uint(s, f.to_ts);
    }
    close_list(s, ']');
    s += '}';
    return s;
}

}  // namespace

void recorder::write_html(std::ostream& out) const {
    const timeline::model m = timeline::build(take_snapshot());
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<title>tinyrt timeline</title>\n<style>\n"
        << view_assets::style
        << "</style>\n</head>\n<body>\n"
           "<header><h1>tinyrt timeline</h1><div id=\"summary\"></div></header>\n"
           "<div id=\"legend\"></div>\n"
           "<div id=\"view\"><div id=\"labels\"></div>"
           "<div id=\"canvas-box\"><canvas id=\"lanes\"></canvas></div>"
           "<div id=\"tip\" hidden></div></div>\n"
           "<ul id=\"tinyrt-index\" hidden></ul>\n"
           "<script type=\"application/json\" id=\"tinyrt-data\">"
        << data_json(m) << "</script>\n<script>\n"
        << view_assets::script << "</script>\n</body>\n</html>\n";
}

bool recorder::write_html(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return false;
    write_html(f);
    f.flush();
    return static_cast<bool>(f);
}

}  // namespace tinyrt::trace
