// How the timeline names a coroutine root from the function it was created
// in (sites.hpp: coroutine_created, then coroutine_root): the signature as
// GCC's and clang's source_location spell it, turned into a bare name; a
// recycled node never keeps an earlier root's name.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <utility>

#include "recorded_runs.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tr = tinyrt::trace;
using trace_test::json;

namespace {

// Coroutine promise `promise` becomes root `coro` and runs once (on the
// calling thread's track).
void root_runs_once(std::uint64_t coro, std::uint64_t promise) {
    tr::coroutine_root(coro, promise);
    tr::resume(coro, nullptr);
    tr::suspend(coro);
}

// The name the timeline gives one resumption of a root created in `signature`.
std::string root_named_by(const char* signature) {
    tr::recorder rec;
    rec.start();
    {
        auto attached = rec.attach_this_thread(tr::track_kind::loop, 0, "loop 0");
        tr::coroutine_created(/*promise=*/16, signature);
        root_runs_once(/*coro=*/32, /*promise=*/16);
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    REQUIRE(t.slices.size() == 1);
    return (*t.slices[0])["name"].str;
}

}  // namespace

TEST_CASE("a root is named by the bare name of the function it was created in") {
    const std::pair<const char*, const char*> cases[] = {
        {"fetch", "fetch"},                                                     // clang 14
        {"tinyrt::task<int> demo::http::get(std::string)", "demo::http::get"},  // GCC
        {"tinyrt::task<int> {anonymous}::fetch(int)", "fetch"},
        {"tinyrt::task<int> (anonymous namespace)::fetch(int)", "fetch"},
        {"tinyrt::task<std::vector<std::pair<int, int> > > ns::many(int)", "ns::many"},
        {"tinyrt::task<void> ns::functor::operator()(int) const", "ns::functor::operator()"},
        {"bool ns::operator<(ns::X, ns::X)", "ns::operator<"},
        {"tinyrt::task<int> top()::<lambda(int)>", "lambda in top"},  // GCC's lambda
        {"operator()", "lambda or function object"},                  // clang 14's lambda
        {"tinyrt::task<T> ns::tmpl(T) [with T = int]", "ns::tmpl"},
    };
    for (const auto& c : cases)  // not a structured binding: clang 14 cannot capture one
        CHECK_MESSAGE(root_named_by(c.first) == c.second, c.first);
}

TEST_CASE("a recycled root node does not keep an earlier root's name") {
    tr::recorder rec;
    rec.start();
    {
        auto attached = rec.attach_this_thread(tr::track_kind::loop, 0, "loop 0");
        tr::coroutine_created(16, "first");
        root_runs_once(32, 16);
        root_runs_once(32, 48);  // the same node again; this creation was not recorded
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slices_named("first").size() == 1);
    CHECK(t.slices_named("coroutine").size() == 1);
}

TEST_CASE("a coroutine created on one thread and made a root on another is named by its function") {
    tr::recorder rec;
    rec.start();
    {
        std::thread maker([&rec] {
            auto attached = rec.attach_this_thread(tr::track_kind::worker, 0, "worker 0");
            tr::coroutine_created(16, "tinyrt::task<int> ns::made_elsewhere()");
        });
        maker.join();
        auto attached = rec.attach_this_thread(tr::track_kind::loop, 0, "loop 0");
        root_runs_once(32, 16);
    }
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    REQUIRE(t.slices_named("ns::made_elsewhere").size() == 1);
    CHECK(t.track_of(*t.slices_named("ns::made_elsewhere")[0]) == "loop 0");
}
