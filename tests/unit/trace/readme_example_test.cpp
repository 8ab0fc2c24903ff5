// README's "Seeing what the runtime did" example, compiled and run.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "support/files.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

TEST_CASE("README: record two threads by hand, write the JSON and the HTML") {
    test_support::temp_dir dir("tinyrt-readme");
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path);  // the example writes into its directory
    // [example: trace]
    namespace trace = tinyrt::trace;
    trace::recorder rec({.events_per_thread = 1 << 16});  // 48 bytes an event, per thread
    rec.start();
    // main spawns task 1 (on a track of its own, "thread 0"); a worker runs it.
    trace::spawn_from(&rec, 1, "download.cpp", 42, trace::task_kind::spawn, /*flow=*/1);
    std::thread worker([&] {
        auto track = rec.attach_this_thread(trace::track_kind::worker, 0, "worker 0");
        trace::task_begin(1, "download.cpp", 42, trace::task_kind::spawn, /*flow=*/1);
        trace::task_end(1);
    });
    worker.join();
    rec.stop();
    bool ok = rec.write_json("run.json")      // chrome://tracing, ui.perfetto.dev
              && rec.write_html("run.html");  // any browser, offline
    // [end example]
    std::filesystem::current_path(cwd);
    CHECK(ok);
    CHECK(rec.recorded() == 3);
    CHECK(test_support::read_file(dir.file("run.json")).find("\"download.cpp:42\"") !=
          std::string::npos);
}
