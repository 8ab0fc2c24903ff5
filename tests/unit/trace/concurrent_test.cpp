// Several threads record at once while another writes both outputs (run
// under ThreadSanitizer by toolchain/ci): no data race, no lost or torn
// event, and each track stays in order.
#include <doctest/doctest.h>

#include <atomic>
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
using trace_test::json;

TEST_CASE("four recording threads and a concurrent writer: every event arrives, in order") {
    constexpr int threads = 4;
    constexpr int tasks = 5000;  // 10,000 events per thread
    tr::recorder rec({.events_per_thread = 2 * tasks});
    rec.start();
    std::vector<std::thread> pool;
    std::atomic<int> running{threads};
    for (int w = 0; w < threads; ++w) {
        pool.emplace_back([&, w] {
            auto att = rec.attach_this_thread(tr::track_kind::worker, static_cast<std::uint32_t>(w),
                                              "worker " + std::to_string(w));
            for (int i = 0; i < tasks; ++i) {
                const std::uint64_t id = static_cast<std::uint64_t>(w) * tasks + i + 1;
                tr::task_begin(id, "task", 0, tr::task_kind::fork_join);
                tr::task_end(id);
            }
            running.fetch_sub(1);
        });
    }
    // Writing while they record sees a consistent prefix of every track.
    int partial_writes = 0;
    while (running.load() != 0 || partial_writes == 0) {
        std::ostringstream json_text, html_text;
        rec.write_json(json_text);
        rec.write_html(html_text);
        const trace_test::json partial = trace_test::parse_json(json_text.str());
        trace_test::check_trace(partial);
        trace_test::parse_json(trace_test::embedded_data(html_text.str()));
        ++partial_writes;
    }
    for (auto& t : pool) t.join();
    rec.stop();

    CHECK(rec.recorded() == threads * 2 * tasks);
    CHECK(rec.dropped() == 0);
    std::ostringstream out;
    rec.write_json(out);
    const json doc = trace_test::parse_json(out.str());
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slices.size() == static_cast<std::size_t>(threads * tasks));
    std::map<std::string, int> per_track;
    for (const auto* s : t.slices) ++per_track[t.track_of(*s)];
    for (int w = 0; w < threads; ++w) CHECK(per_track["worker " + std::to_string(w)] == tasks);
}

TEST_CASE("outside threads get a track each on their first spawn") {
    tr::recorder rec;
    rec.start();
    std::vector<std::thread> outside;
    for (int k = 0; k < 3; ++k) {
        outside.emplace_back([&, k] {
            for (int i = 0; i < 100; ++i)
                tr::spawn_from(&rec, static_cast<std::uint64_t>(k * 100 + i), "s", 0,
                               tr::task_kind::spawn, 0);
        });
    }
    for (auto& t : outside) t.join();
    CHECK(rec.recorded() == 300);
    std::ostringstream out;
    rec.write_json(out);
    const auto doc = trace_test::parse_json(out.str());
    const auto t = trace_test::check_trace(doc);
    CHECK(t.track_names.size() == 3);
    for (const auto& tk : doc["otherData"]["tracks"].arr) {
        CHECK(tk["kind"].str == "thread");
        CHECK(tk["events"].u64() == 100);
    }
}
