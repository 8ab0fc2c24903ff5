// A real pool run recorded: fork-join children, pool.spawn tasks joined
// from outside, and the JSON checked as trace_checks.hpp describes (every
// begin ends on its track, steals name tasks that ran, flows have both
// ends), plus the names and counts this run must produce.
#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <type_traits>

#include "recorded_runs.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tr = tinyrt::trace;
using trace_test::json;

namespace {

std::atomic<int> children{0};

// The timeline's name of a task spawned on `line` of this file.
std::string here(unsigned line) {
    return trace_test::site_name(__FILE__, line);
}

// Where traced_fib's children say they were spawned (an explicit location
// instead of the default, the spawn's own line).
tinyrt::source_location child_site() noexcept {
    return tinyrt::source_location::current();
}

int traced_fib(tinyrt::pool& p, int n) {
    if (n < 2) return n;
    int a = 0;
    tinyrt::task_group g{p};
    children.fetch_add(1);
    g.spawn([&] { a = traced_fib(p, n - 1); }, child_site());
    const int b = traced_fib(p, n - 2);
    g.wait();
    return a + b;
}

}  // namespace

TEST_CASE("a recorded pool run: every task is named, begun and ended on one track") {
    tr::recorder rec;
    rec.start();
    unsigned root_line = 0, leaf_line = 0;
    {
        tinyrt::pool p{{.workers = 3, .trace = &rec}};
        root_line = __LINE__ + 1;
        auto h = p.spawn([&p] { return traced_fib(p, 14); });
        CHECK(h.join() == 377);
        leaf_line = __LINE__ + 1;
        auto h2 = p.spawn([] { return 1; });
        CHECK(h2.join() == 1);
    }
    rec.stop();

    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.dropped == 0);
    for (const char* track : {"worker 0", "worker 1", "worker 2"}) {
        bool found = false;
        for (const auto& [tid, name] : t.track_names) found = found || name == track;
        CHECK_MESSAGE(found, track);
    }
    // Each task_group child ran once, named by its spawn's line, as a fork-join task.
    const auto kids =
        t.slices_named(trace_test::site_name(child_site().file_name(), child_site().line()));
    CHECK(kids.size() == static_cast<std::size_t>(children.load()));
    for (const json* s : kids) CHECK((*s)["cat"].str == "fork-join");
    const auto roots = t.slices_named(here(root_line));
    REQUIRE(roots.size() == 1);
    CHECK((*roots[0])["cat"].str == "pool.spawn");
    CHECK(t.slices_named(here(leaf_line)).size() == 1);
    // Every task got its spawn-to-run arrow; the root's starts on the main
    // thread's own track.
    CHECK(t.flows_by_name.at("spawn") == children.load() + 2);
    CHECK(t.slices.size() == static_cast<std::size_t>(children.load() + 2));
    bool root_from_outside = false;
    for (const auto& [id, tids] : t.flow_tids) {
        if (t.track_names.at(tids.first).rfind("thread", 0) == 0 &&
            t.track_names.at(tids.second).rfind("worker", 0) == 0)
            root_from_outside = true;
    }
    CHECK(root_from_outside);
    // Each steal names a task that ran (check_trace) on the thief's own track.
    for (const json* s : trace_test::instants_named(t, "steal")) {
        bool on_thief = false;
        for (const json* sl : t.slices)
            on_thief = on_thief || (trace_test::task_of(sl) == trace_test::task_of(s) &&
                                    (*sl)["tid"].u64() == (*s)["tid"].u64());
        CHECK(on_thief);
    }
}

TEST_CASE("a pool run that overflows its buffers says how many events it dropped") {
    tr::recorder rec({.events_per_thread = 16});
    rec.start();
    {
        tinyrt::pool p{{.workers = 2, .trace = &rec}};
        CHECK(p.spawn([&p] { return traced_fib(p, 12); }).join() == 144);
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(rec.dropped() > 0);
    CHECK(t.dropped == rec.dropped());
    CHECK(!trace_test::instants_named(t, "events dropped").empty());
}

TEST_CASE("a pool without a recorder records nothing, even on a thread that is traced") {
    tr::recorder rec;
    rec.start();
    auto attached = rec.attach_this_thread(tr::track_kind::thread, 0, "main");
    {
        tinyrt::pool p{{.workers = 2}};
        CHECK(p.spawn([&p] { return traced_fib(p, 8); }).join() == 21);
    }
    CHECK(rec.recorded() == 0);
}

// A null name is refused where it is written, not shown as an unnamed task.
static_assert(!std::is_constructible_v<tinyrt::task_name, std::nullptr_t>);
static_assert(std::is_constructible_v<tinyrt::task_name, const char*>);

TEST_CASE("a spawn given a name is called by it in the timeline") {
    tr::recorder rec;
    rec.start();
    {
        tinyrt::pool p{{.workers = 2, .trace = &rec}};
        auto h = p.spawn(
            [&p] {
                tinyrt::task_group g{p};
                g.spawn([] {}, "a named child");
                g.wait();
                return 3;
            },
            "a named task");
        CHECK(h.join() == 3);
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    REQUIRE(t.slices_named("a named task").size() == 1);
    CHECK((*t.slices_named("a named task")[0])["cat"].str == "pool.spawn");
    REQUIRE(t.slices_named("a named child").size() == 1);
    CHECK((*t.slices_named("a named child")[0])["cat"].str == "fork-join");
}
