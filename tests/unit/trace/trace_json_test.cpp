// The recorder and its Chrome trace-event JSON: a hand-made run of three
// workers, a loop and the main thread (synthetic_run.hpp), checked for
// well-formedness (trace_checks.hpp) and for the events it must show.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <thread>

#include "json.hpp"
#include "support/files.hpp"
#include "synthetic_run.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"
#include "trace_checks.hpp"

namespace tr = tinyrt::trace;
using trace_test::json;

namespace {

json json_of(const tr::recorder& rec) {
    std::ostringstream out;
    rec.write_json(out);
    return trace_test::parse_json(out.str());
}

}  // namespace

TEST_CASE("a small run's JSON is well formed and shows every task on its track") {
    tr::recorder rec;
    rec.start();
    trace_test::synthetic_run(rec);
    rec.stop();
    const json doc = json_of(rec);
    const trace_test::checked_trace t = trace_test::check_trace(doc);

    std::set<std::string> lanes;
    for (const auto& [tid, name] : t.track_names) lanes.insert(name);
    CHECK(lanes == std::set<std::string>{"worker 0", "worker 1", "worker 2", "loop 1", "main"});
    for (const std::string& name : trace_test::expected_names()) {
        INFO(name);
        CHECK(t.slice_names.count(name) == 1);
    }
    CHECK(t.dropped == 0);
    CHECK(doc["otherData"]["unmatched_ends"].u64() == 0);

    // Jobs a-f were spawned by main: each has a spawn flow from main's track.
    CHECK(t.flows_by_name.at("spawn") == 8);  // six jobs, two fork-join children
    CHECK(t.flows_by_name.at("steal") == 1);
    CHECK(t.flows_by_name.at("to_thread") == 1);
    CHECK(t.flows_by_name.at("back") == 1);

    // The tasks ran where the run put them.
    for (const json* s : t.slices_named("job b")) CHECK(t.track_of(*s) == "worker 1");
    for (const json* s : t.slices_named("write_file")) {
        CHECK(t.track_of(*s) == "worker 2");
        CHECK((*s)["cat"].str == "to_thread");
    }
    const auto children = t.slices_named("fib child");
    REQUIRE(children.size() == 2);
    std::set<std::string> child_tracks;
    for (const json* c : children) child_tracks.insert(t.track_of(*c));
    CHECK(child_tracks == std::set<std::string>{"worker 0", "worker 1"});
    // Worker 0's child runs inside job a (depth 1); the stolen one at depth 0.
    for (const json* c : children) {
        CHECK((*c)["args"]["depth"].u64() == (t.track_of(*c) == "worker 0" ? 1u : 0u));
        CHECK((*c)["cat"].str == "fork-join");
    }
    CHECK(t.slices_named("helping (join)").size() == 1);
    CHECK(t.slices_named("g(1)").size() == 2);  // resumed twice
    CHECK(t.slices_named("g(1)")[0]->at("cat").str == "coroutine");

    // The steal's arrow goes from the victim's lane to the thief's.
    bool steal_seen = false;
    for (const json* i : t.instants) {
        if ((*i)["name"].str != "steal") continue;
        steal_seen = true;
        CHECK(t.track_of(*i) == "worker 1");
        CHECK((*i)["args"]["victim"].u64() == 0);
        CHECK((*i)["args"]["task"].u64() == 101);
    }
    CHECK(steal_seen);
    int steal_flows = 0;
    for (const json& e : doc["traceEvents"].arr) {
        if (e["ph"].str == "s" && e["name"].str == "steal") {
            ++steal_flows;
            const auto [from, to] = t.flow_tids.at(e["id"].u64());
            CHECK(t.track_names.at(from) == "worker 0");
            CHECK(t.track_names.at(to) == "worker 1");
        }
    }
    CHECK(steal_flows == 1);

    int parks = 0;
    for (const json* i : t.instants) parks += (*i)["name"].str == "park";
    CHECK(parks == 1);
}

TEST_CASE("nothing is recorded before start() or after stop()") {
    tr::recorder rec;
    auto a = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    tr::task_begin(1, "early", 0, tr::task_kind::spawn);
    tr::task_end(1);
    CHECK(rec.recorded() == 0);
    rec.start();
    tr::task_begin(2, "during", 0, tr::task_kind::spawn);
    tr::task_end(2);
    rec.stop();
    tr::task_begin(3, "late", 0, tr::task_kind::spawn);
    CHECK(rec.recorded() == 2);
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slice_names == std::set<std::string>{"during"});
}

TEST_CASE("sites on a thread nobody attached record nothing and cost no buffer") {
    tr::recorder rec;
    rec.start();
    CHECK(tr::current_buffer() == nullptr);
    tr::task_begin(1, "x", 0, tr::task_kind::spawn);
    tr::park();
    CHECK(rec.recorded() == 0);
    // spawn_from with a null recorder (tracing off) is a no-op too.
    tr::spawn_from(nullptr, 1, "x", 0, tr::task_kind::spawn, 1);
    CHECK(tr::current_buffer() == nullptr);
    const json doc = json_of(rec);
    CHECK(trace_test::check_trace(doc).track_names.empty());
}

TEST_CASE("an attachment restores the thread's previous buffer when it ends") {
    tr::recorder rec;
    rec.start();
    {
        auto outer = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
        CHECK(tr::current_buffer() == outer.get());
        {
            auto inner = rec.attach_this_thread(tr::track_kind::loop, 7, "loop 7");
            CHECK(tr::current_buffer() == inner.get());
            CHECK(rec.buffer_for_this_thread() == inner.get());
            tr::resume(1, "inside the loop");
            tr::suspend(1);
        }
        CHECK(tr::current_buffer() == outer.get());
        auto moved = std::move(outer);
        CHECK(tr::current_buffer() == moved.get());
    }
    CHECK(tr::current_buffer() == nullptr);
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slices_named("inside the loop").size() == 1);
    CHECK(t.track_of(*t.slices_named("inside the loop")[0]) == "loop 7");
}

TEST_CASE("a thread that records for several recorders in turn keeps one track in each") {
    tr::recorder a, b, c;
    tr::buffer* in_a = a.buffer_for_this_thread();
    tr::buffer* in_b = b.buffer_for_this_thread();
    for (int round = 0; round < 3; ++round) {
        CHECK(a.buffer_for_this_thread() == in_a);
        CHECK(b.buffer_for_this_thread() == in_b);
        CHECK(c.buffer_for_this_thread() != nullptr);
    }
    CHECK(in_a != in_b);
    CHECK(in_a->owner() == &a);
    CHECK(in_b->owner() == &b);
}

TEST_CASE("intern gives one stable copy per name, source locations print as file:line") {
    tr::recorder rec;
    std::string a = "dynamic name";
    const char* p1 = rec.intern(a);
    a = "changed";
    const char* p2 = rec.intern("dynamic name");
    CHECK(p1 == p2);
    CHECK(std::string(p1) == "dynamic name");

    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    tr::task_begin(1, p1, 0, tr::task_kind::spawn);
    tr::task_end(1);
    tr::task_begin(2, "/src/app/download.cpp", 42, tr::task_kind::spawn);
    tr::task_end(2);
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slice_names == std::set<std::string>{"dynamic name", "download.cpp:42"});
}

TEST_CASE("a slice left open inside an ended one, or at the end, is flagged unfinished") {
    tr::recorder rec;
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    tr::task_begin(1, "outer", 0, tr::task_kind::spawn);
    tr::task_begin(2, "inner", 0, tr::task_kind::fork_join);
    tr::task_end(1);  // ends outer, and inner (never ended) with it
    tr::task_begin(3, "cut off", 0, tr::task_kind::spawn);
    tr::park();
    tr::task_end(99);  // matches no open task: counted, ignored
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(doc["otherData"]["unmatched_ends"].u64() == 1);
    CHECK(t.slices_named("inner").at(0)->at("args").has("unfinished"));
    CHECK_FALSE(t.slices_named("outer").at(0)->at("args").has("unfinished"));
    CHECK(t.slices_named("cut off").at(0)->at("args").has("unfinished"));
}

TEST_CASE("an end with no open task is counted as unmatched and ignored") {
    tr::recorder rec;
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
    tr::task_end(5);  // recording began inside task 5
    tr::task_begin(6, "open", 0, tr::task_kind::spawn);
    tr::park();
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(doc["otherData"]["unmatched_ends"].u64() == 1);
    REQUIRE(t.slices_named("open").size() == 1);
    CHECK(t.slices_named("open")[0]->at("args").has("unfinished"));
}

TEST_CASE("write_json to a path it cannot create returns false") {
    tr::recorder rec;
    test_support::temp_dir dir("tinyrt-trace");
    CHECK_FALSE(rec.write_json(dir.file("no/such/dir/t.json")));
    CHECK_FALSE(rec.write_html(dir.file("no/such/dir/t.html")));
    CHECK(rec.write_json(dir.file("t.json")));
    CHECK(trace_test::parse_json(test_support::read_file(dir.file("t.json"))).has("traceEvents"));
}

TEST_CASE("names with quotes, backslashes and control characters stay valid JSON") {
    tr::recorder rec;
    rec.start();
    auto att = rec.attach_this_thread(tr::track_kind::worker, 0, "worker \"0\"\n</script>");
    tr::task_begin(1, "a \"quoted\" \\ name\t\x01", 0, tr::task_kind::spawn);
    tr::task_end(1);
    const json doc = json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slice_names.count("a \"quoted\" \\ name\t\x01") == 1);
    CHECK(t.track_names.begin()->second == "worker \"0\"\n</script>");
}
