// README's "Seeing what the runtime did" timeline example, compiled and run:
// a pool and a loop given one recorder, both files written.
#include <doctest/doctest.h>

#include <filesystem>

#include "support/files.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace {

tinyrt::task<int> twenty_on(tinyrt::pool& pool) {
    co_return co_await tinyrt::to_thread(pool, [] { return 20; });
}

tinyrt::task<int> sum_on(tinyrt::pool& pool) {
    auto a = tinyrt::create_task(twenty_on(pool));
    const int b = co_await tinyrt::to_thread(pool, [] { return 22; });
    co_return co_await a + b;
}

}  // namespace

TEST_CASE("README: a pool and a loop recorded into one timeline") {
    test_support::temp_dir dir("tinyrt-readme");
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path);  // the example writes into its directory
    int answer = 0;
    // [example: timeline]
    tinyrt::trace::recorder rec;  // 64 Ki events (48 bytes each) per thread
    rec.start();
    {
        tinyrt::pool pool{{.workers = 2, .trace = &rec, .trace_name = "pool"}};
        tinyrt::event_loop loop;
        loop.set_trace(&rec);
        answer = tinyrt::run_on(loop, sum_on(pool));  // coroutines, to_thread jobs
    }  // the pool and the loop end before the recorder
    rec.stop();
    bool ok = rec.write_json("run.json")      // ui.perfetto.dev, chrome://tracing
              && rec.write_html("run.html");  // any browser, offline
    // [end example]
    std::filesystem::current_path(cwd);
    CHECK(ok);
    CHECK(answer == 42);
    CHECK(rec.dropped() == 0);
    const std::string json = test_support::read_file(dir.file("run.json"));
    CHECK(json.find("\"pool worker 0\"") != std::string::npos);
    CHECK(json.find("timeline_example_test.cpp:") != std::string::npos);
}
