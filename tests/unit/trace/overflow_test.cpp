// Bounded memory: a full buffer drops and counts, never grows or blocks, and
// both outputs say how many events were lost.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "html_data.hpp"
#include "json.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"
#include "trace_checks.hpp"

namespace tr = tinyrt::trace;

TEST_CASE("a full buffer keeps its first events and counts the rest as dropped") {
    tr::recorder rec({.events_per_thread = 10});
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    for (std::uint64_t i = 0; i < 25; ++i) tr::task_begin(i, "t", 0, tr::task_kind::spawn);
    CHECK(att.get()->capacity() == 10);
    CHECK(att.get()->size() == 10);  // memory: the buffer never grew
    CHECK(rec.recorded() == 10);
    CHECK(rec.dropped() == 15);

    std::ostringstream json_text;
    rec.write_json(json_text);
    const auto doc = trace_test::parse_json(json_text.str());
    const auto t = trace_test::check_trace(doc);
    CHECK(t.dropped == 15);
    CHECK(t.slices.size() == 10);
    bool marker = false;
    for (const auto* i : t.instants) {
        if ((*i)["name"].str == "events dropped") {
            marker = true;
            CHECK((*i)["args"]["dropped"].u64() == 15);
        }
    }
    CHECK(marker);
    CHECK(doc["otherData"]["tracks"][0]["dropped"].u64() == 15);

    std::ostringstream html;
    rec.write_html(html);
    const auto data = trace_test::parse_json(trace_test::embedded_data(html.str()));
    CHECK(data["dropped"].u64() == 15);
    CHECK(data["tracks"][0]["dropped"].u64() == 15);
}

TEST_CASE("threads past max_tracks share a capacity-0 buffer, their events count as dropped") {
    tr::recorder rec({.events_per_thread = 100, .max_tracks = 1});
    rec.start();
    auto first = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    tr::park();
    std::thread other([&] {
        auto second = rec.attach_this_thread(tr::track_kind::worker, 1, "worker 1");
        CHECK(second.get()->capacity() == 0);
        for (int i = 0; i < 7; ++i) tr::park();
        tr::spawn_from(&rec, 1, "x", 0, tr::task_kind::spawn, 1);  // its attached overflow buffer
    });
    other.join();
    std::thread outside([&] {
        // A lazily made track past the limit is the overflow buffer too.
        tr::spawn_from(&rec, 2, "y", 0, tr::task_kind::spawn, 2);
    });
    outside.join();
    CHECK(rec.recorded() == 1);
    CHECK(rec.dropped() == 9);
    std::ostringstream out;
    rec.write_json(out);
    const auto doc = trace_test::parse_json(out.str());
    CHECK(doc["otherData"]["dropped_events"].u64() == 9);
    CHECK(doc["otherData"]["dropped_untracked"].u64() == 9);
    CHECK(trace_test::check_trace(doc).track_names.size() == 1);
}

TEST_CASE("events_per_thread 0 is taken as 1") {
    tr::recorder rec({.events_per_thread = 0});
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::thread, 0, "t");
    tr::mark("one");
    tr::mark("two");
    CHECK(rec.recorded() == 1);
    CHECK(rec.dropped() == 1);
}
