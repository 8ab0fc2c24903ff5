// What the tests of real recorded runs share: the recorder's JSON parsed and
// checked (trace_checks.hpp), and lookups by name in it.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "json.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "trace_checks.hpp"

namespace trace_test {

// A recorder's JSON, parsed; check with check_trace(doc).
inline json json_of(const tinyrt::trace::recorder& rec) {
    std::ostringstream out;
    rec.write_json(out);
    return parse_json(out.str());
}

// The name the timeline gives a task spawned on `line` of `file` (a path,
// as __FILE__ or tinyrt::source_location give it): "file.cpp:line".
inline std::string site_name(const std::string& file, unsigned line) {
    const auto slash = file.find_last_of('/');
    return (slash == std::string::npos ? file : file.substr(slash + 1)) + ":" +
           std::to_string(line);
}

// The instants called exactly `name` ("timer_set", "to_thread_out").
inline std::vector<const json*> instants_named(const checked_trace& t, const std::string& name) {
    std::vector<const json*> out;
    for (const json* e : t.instants)
        if ((*e)["name"].str == name) out.push_back(e);
    return out;
}

inline std::uint64_t task_of(const json* e) {
    return (*e)["args"]["task"].u64();
}

}  // namespace trace_test
