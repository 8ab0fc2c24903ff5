// Every demo with --trace FILE --html FILE: both files are written, the JSON
// is well formed (trace_checks.hpp) and holds the tasks and lanes the demo's
// cells make; the page embeds the same run. A file that cannot be written
// is a clear error with a non-zero exit.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "html_data.hpp"
#include "json.hpp"
#include "support/files.hpp"
#include "support/run_program.hpp"
#include "trace_checks.hpp"

using trace_test::json;

namespace {

// A demo's run with both files; its JSON, parsed (to be checked).
struct traced_run {
    test_support::program_result result;
    json doc;
};

traced_run run_traced(const std::string& demo, const std::string& flags) {
    test_support::temp_dir dir("tinyrt-trace-demo");
    const std::string json_path = dir.path + "/t.json", html_path = dir.path + "/t.html";
    traced_run r;
    r.result = test_support::run_program(test_support::demo_path(demo) + flags + " --trace " +
                                         json_path + " --html " + html_path);
    REQUIRE_MESSAGE(r.result.exit_status == 0, r.result.out);
    CHECK(r.result.out.find("timeline: ") != std::string::npos);
    r.doc = trace_test::parse_json(test_support::read_file(json_path));
    // The page carries the same run, as data its script draws.
    const json page =
        trace_test::parse_json(trace_test::embedded_data(test_support::read_file(html_path)));
    CHECK(page.t == json::type::object);
    return r;
}

// Slices whose name starts with `prefix` ("threads.cpp:"), and the lanes
// they ran on.
struct found {
    std::set<std::string> names, tracks;
    std::size_t slices = 0;
};
found slices_like(const trace_test::checked_trace& t, const std::string& prefix,
                  const std::string& cat = "") {
    found f;
    for (const json* s : t.slices) {
        if ((*s)["name"].str.rfind(prefix, 0) != 0) continue;
        if (!cat.empty() && (*s)["cat"].str != cat) continue;
        f.names.insert((*s)["name"].str);
        f.tracks.insert(t.track_of(*s));
        ++f.slices;
    }
    return f;
}

bool all_start_with(const std::set<std::string>& tracks, const std::string& prefix) {
    for (const std::string& t : tracks)
        if (t.rfind(prefix, 0) != 0) return false;
    return !tracks.empty();
}

}  // namespace

TEST_CASE("pool_map --trace --html: the three inc calls on the Pool(3) lanes, then the downloads") {
    const traced_run r = run_traced("pool_map", " --tick 40 --cpu-items 4 --delay 1");
    const auto t = trace_test::check_trace(r.doc);
    CHECK(t.dropped == 0);
    const found inc = slices_like(t, "inc");
    CHECK(inc.slices == 3);
    CHECK(all_start_with(inc.tracks, "Pool(3) worker "));
    for (const char* lane : {"Pool(3) worker 0", "Pool(3) worker 1", "Pool(3) worker 2"}) {
        bool present = false;
        for (const auto& [tid, name] : t.track_names) present = present || name == lane;
        CHECK_MESSAGE(present, lane);
    }
    const found downloads = slices_like(t, "download");
    CHECK(downloads.slices >= 1);
    CHECK(all_start_with(downloads.tracks, "Pool(4) worker "));
    // pool.map's own tasks are named by their spawns in map.hpp.
    CHECK(!slices_like(t, "map.hpp:").names.empty());
}

TEST_CASE(
    "gather --trace --html: create_task coroutines on the loop, file writes on the disk pool") {
    const traced_run r = run_traced("gather", " --tick 10 --delay 5");
    const auto t = trace_test::check_trace(r.doc);
    CHECK(t.dropped == 0);
    // create_task(g(1)), create_task(g(2)): two names from main.cpp, on loops.
    const found tasks = slices_like(t, "main.cpp:", "coroutine");
    CHECK(tasks.names.size() >= 2);
    CHECK(all_start_with(tasks.tracks, "loop "));
    // write_file's to_thread jobs ran on the disk pool's workers.
    bool write_on_disk = false;
    for (const json* s : t.slices)
        write_on_disk = write_on_disk || ((*s)["cat"].str == "to_thread" &&
                                          t.track_of(*s).rfind("disk worker ", 0) == 0);
    CHECK(write_on_disk);
    CHECK(t.flows_by_name.count("post") == 1);  // the jobs' results posted back to the loop
}

TEST_CASE("tarefa --trace --html: T1 and T2 on two workers, then as coroutines on one loop") {
    const traced_run r = run_traced("tarefa", " --tick 5");
    const auto t = trace_test::check_trace(r.doc);
    const found threads = slices_like(t, "threads.cpp:", "pool.spawn");
    CHECK(threads.names.size() >= 2);
    CHECK(threads.tracks.size() >= 2);  // T1 and T2 at once, on two workers
    for (const std::string& lane : threads.tracks)
        CHECK(lane.find(" join worker ") != std::string::npos);
    const found coros = slices_like(t, "tarefa_coro.cpp:", "coroutine");
    CHECK(coros.names.size() >= 3);  // T1, T2 and the main coroutine
    CHECK(coros.tracks.size() == 1);
    CHECK(all_start_with(coros.tracks, "loop "));
}

TEST_CASE("soma and lista --trace --html: their own threads are lanes with their tasks") {
    {
        const traced_run r = run_traced("soma", " --n 1000 --threads 2");
        const auto t = trace_test::check_trace(r.doc);
        const found sums = slices_like(t, "calcularsoma");
        CHECK(sums.slices >= 2);
        CHECK(all_start_with(sums.tracks, "thread "));
    }
    {
        const traced_run r = run_traced("lista", " --tick 1 --threads 4");
        const auto t = trace_test::check_trace(r.doc);
        CHECK(slices_like(t, "add_shared").slices >= 1);
        CHECK(slices_like(t, "atualizar").slices >= 4);
        CHECK(!slices_like(t, "", "coroutine").names.empty());  // its asyncio cells
    }
}

TEST_CASE("a timeline file that cannot be written is an error naming the flag") {
    const auto r = test_support::run_program(test_support::demo_path("tarefa") +
                                             " --tick 1 --trace /nonexistent-dir-for-test/t.json");
    CHECK(r.exit_status == 1);
    CHECK(r.out.find("--trace /nonexistent-dir-for-test/t.json: cannot write") !=
          std::string::npos);
}
