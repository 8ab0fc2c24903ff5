// A real event-loop run recorded: two coroutines that sleep, a to_thread
// job on a traced pool, a post from another thread. Checked: the JSON's
// structure (trace_checks.hpp), the coroutines' names on the loop's track,
// every timer fired after it was set, to_thread's out and back pairing up
// around the job's start, the job on a worker, and the flows between lanes.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "recorded_runs.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tr = tinyrt::trace;
using namespace std::chrono_literals;
using trace_test::json;

namespace {

tinyrt::task<int> napper(int n) {
    co_await tinyrt::sleep_for(1ms);
    co_await tinyrt::sleep_for(1ms);
    co_return n;
}

struct sites {
    unsigned first = 0, second = 0, job = 0;
};

tinyrt::task<int> two_nappers_and_a_job(tinyrt::pool& p, sites& at) {
    at.first = __LINE__ + 1;
    auto a = tinyrt::create_task(napper(1));
    at.second = __LINE__ + 1;
    auto b = tinyrt::create_task(napper(2));
    at.job = __LINE__ + 1;
    const int z = co_await tinyrt::to_thread(p, [] { return 40; });
    co_return co_await a + co_await b + z;
}

std::string here(unsigned line) {
    return trace_test::site_name(__FILE__, line);
}

bool is_loop_track(const trace_test::checked_trace& t, const json* e) {
    return t.track_of(*e).rfind("loop", 0) == 0;
}

}  // namespace

TEST_CASE("a recorded loop run: named coroutines, timers, to_thread out and back") {
    tr::recorder rec;
    rec.start();
    sites at;
    {
        tinyrt::pool p{{.workers = 2, .trace = &rec}};
        tinyrt::event_loop loop;
        loop.set_trace(&rec);
        CHECK(tinyrt::run_on(loop, two_nappers_and_a_job(p, at)) == 43);
    }
    rec.stop();

    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.dropped == 0);

    // Each napper resumes three times (start, after each sleep), on the loop.
    for (unsigned line : {at.first, at.second}) {
        const auto resumptions = t.slices_named(here(line));
        CHECK(resumptions.size() == 3);
        for (const json* s : resumptions) {
            CHECK((*s)["cat"].str == "coroutine");
            CHECK(is_loop_track(t, s));
        }
    }
    // The job ran once, on a worker, as a to_thread task.
    const auto jobs = t.slices_named(here(at.job));
    REQUIRE(jobs.size() == 1);
    CHECK((*jobs[0])["cat"].str == "to_thread");
    CHECK(t.track_of(*jobs[0]).rfind("worker", 0) == 0);

    // Four sleeps: each timer fired after it was set, none cancelled. A
    // timer's id may come back (two sleeps of one frame): per id, the n-th
    // fire follows the n-th set.
    std::map<std::uint64_t, std::vector<double>> sets, fires;
    for (const json* e : trace_test::instants_named(t, "timer_set"))
        sets[trace_test::task_of(e)].push_back((*e)["ts"].num);
    for (const json* e : trace_test::instants_named(t, "timer_fire"))
        fires[trace_test::task_of(e)].push_back((*e)["ts"].num);
    std::size_t fired = 0;
    for (auto& [id, fire_ts] : fires) {
        auto& set_ts = sets[id];
        std::sort(fire_ts.begin(), fire_ts.end());
        std::sort(set_ts.begin(), set_ts.end());
        REQUIRE(set_ts.size() == fire_ts.size());
        for (std::size_t k = 0; k < fire_ts.size(); ++k) CHECK(set_ts[k] <= fire_ts[k]);
        fired += fire_ts.size();
    }
    CHECK(fired == 4);
    CHECK(trace_test::instants_named(t, "timer_cancel").empty());

    // to_thread: one out and one back, the same job, around the job's run.
    const auto out = trace_test::instants_named(t, "to_thread_out");
    const auto back = trace_test::instants_named(t, "to_thread_back");
    REQUIRE(out.size() == 1);
    REQUIRE(back.size() == 1);
    CHECK(trace_test::task_of(out[0]) == trace_test::task_of(back[0]));
    CHECK(is_loop_track(t, out[0]));
    CHECK(is_loop_track(t, back[0]));
    CHECK((*out[0])["ts"].num <= (*jobs[0])["ts"].num);
    // (The job posts its result before it returns: the back may precede its end.)
    CHECK((*jobs[0])["ts"].num <= (*back[0])["ts"].num);

    // Arrows: the job's spawn from the loop to a worker, its result posted
    // back from that worker to the loop.
    bool out_arrow = false, back_arrow = false;
    for (const auto& [id, tids] : t.flow_tids) {
        const std::string from = t.track_names.at(tids.first), to = t.track_names.at(tids.second);
        out_arrow = out_arrow || (from.rfind("loop", 0) == 0 && to.rfind("worker", 0) == 0);
        back_arrow = back_arrow || (from.rfind("worker", 0) == 0 && to.rfind("loop", 0) == 0);
    }
    CHECK(out_arrow);
    CHECK(back_arrow);
    CHECK(t.flows_by_name.at("post") >= 1);
}

TEST_CASE("run(main, &recorder) records the loop; a post from another thread is an arrow") {
    tr::recorder rec;
    rec.start();
    auto main_task = []() -> tinyrt::task<int> {
        tinyrt::event_loop* loop = tinyrt::event_loop::current();
        auto keep = loop->keep_alive();
        std::thread poster([&keep] { keep.post([] {}); });
        co_await tinyrt::sleep_for(1ms);
        poster.join();
        co_return 7;
    };
    const unsigned run_line = __LINE__ + 1;
    CHECK(tinyrt::run(main_task(), &rec) == 7);
    rec.stop();

    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    const auto mains = t.slices_named(here(run_line));
    CHECK(mains.size() >= 2);  // started, resumed after its sleep
    // The poster thread has its own track, and its post an arrow to the loop.
    bool from_poster = false;
    for (const auto& [id, tids] : t.flow_tids)
        from_poster = from_poster || (t.track_names.at(tids.first).rfind("thread", 0) == 0 &&
                                      t.track_names.at(tids.second).rfind("loop", 0) == 0);
    CHECK(from_poster);
}

namespace {

tinyrt::task<int> fetch_slowly(int n) {
    co_await tinyrt::sleep_for(1ms);
    co_return n;
}

tinyrt::task<int> answer_at_once() {
    co_return 42;
}

tinyrt::task<int> gather_race_and_wait() {
    auto [a, b] = co_await tinyrt::gather(fetch_slowly(1), fetch_slowly(2));
    const int c = co_await tinyrt::wait_for(answer_at_once(), 10s);
    auto first = co_await tinyrt::when_any(answer_at_once(), fetch_slowly(3));
    co_return a + b + c + first.value;
}

}  // namespace

TEST_CASE("children of gather, wait_for and when_any are named by their coroutine function") {
    tr::recorder rec;
    rec.start();
    {
        tinyrt::event_loop loop;
        loop.set_trace(&rec);
        CHECK(tinyrt::run_on(loop, gather_race_and_wait()) == 1 + 2 + 42 + 42);
    }
    rec.stop();

    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    // gather's two children start and resume after their sleep; when_any's
    // loser (cancelled) at least starts.
    CHECK(t.slices_named("fetch_slowly").size() >= 5);
    CHECK(t.slices_named("answer_at_once").size() == 2);  // wait_for's child, when_any's winner
    for (const char* name : {"fetch_slowly", "answer_at_once"})
        for (const json* s : t.slices_named(name)) CHECK(is_loop_track(t, s));
    // Nothing the program started is left without a name.
    CHECK(t.slices_named("coroutine").empty());
}

TEST_CASE("create_task and to_thread given a name are called by it in the timeline") {
    tr::recorder rec;
    rec.start();
    {
        tinyrt::pool p{{.workers = 1, .trace = &rec}};
        tinyrt::event_loop loop;
        loop.set_trace(&rec);
        auto main_task = [&p]() -> tinyrt::task<int> {
            auto h = tinyrt::create_task(fetch_slowly(4), "the fetch");
            const int j = co_await tinyrt::to_thread(p, [] { return 5; }, "the job");
            co_return co_await h + j;
        };
        CHECK(tinyrt::run_on(loop, main_task()) == 9);
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slices_named("the fetch").size() == 2);  // started, resumed after its sleep
    REQUIRE(t.slices_named("the job").size() == 1);
    CHECK((*t.slices_named("the job")[0])["cat"].str == "to_thread");
}
