// Jobs that run only if they win a claim are recorded where their closure
// ran, once: a pool.spawn task that join() ran inline (on a worker of its
// pool, or as a guest on a worker of another pool) and a task_group child
// from outside the pool that its waiter ran (here a guest). Each closure drops a mark; the mark
// must lie inside the task's one slice, on the same lane. A queue entry that lost the claim records
// nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>

#include "recorded_runs.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tr = tinyrt::trace;
using trace_test::json;

namespace {

std::string here(unsigned line) {
    return trace_test::site_name(__FILE__, line);
}

// Stops `rec`, checks its JSON and finds the one slice named `name`, which
// must hold the one mark named `mark` on its own lane; returns that lane's name.
std::string lane_of_slice_holding(tr::recorder& rec, const std::string& name,
                                  const std::string& mark) {
    rec.stop();
    const json doc = trace_test::json_of(rec);
    const auto t = trace_test::check_trace(doc);
    const auto slices = t.slices_named(name);
    REQUIRE_MESSAGE(slices.size() == 1, name);
    const auto marks = trace_test::instants_named(t, mark);
    REQUIRE_MESSAGE(marks.size() == 1, mark);
    const json& s = *slices[0];
    const json& m = *marks[0];
    CHECK_MESSAGE(s["tid"].u64() == m["tid"].u64(), name << " ran on another lane than its mark");
    CHECK(s["ts"].num <= m["ts"].num);
    CHECK(m["ts"].num <= s["ts"].num + s["dur"].num + 1e-6);  // printed to the nanosecond
    return t.track_of(s);
}

// Holds a pool's only worker in a task until released, so that nothing
// else of that pool runs meanwhile.
class worker_blocker {
public:
    explicit worker_blocker(tinyrt::pool& p)
        : done_(p.spawn([this] {
              started_.store(true);
              while (!released_.load()) std::this_thread::yield();
          })) {
        while (!started_.load()) std::this_thread::yield();
    }
    ~worker_blocker() {
        released_.store(true);
        done_.join();
    }

private:
    std::atomic<bool> started_{false}, released_{false};
    tinyrt::join_handle<void> done_;
};

}  // namespace

TEST_CASE("a pool.spawn task joined inline by its pool's worker is recorded where it ran") {
    tr::recorder rec;
    rec.start();
    unsigned inner_line = 0;
    {
        tinyrt::pool p{{.workers = 1, .trace = &rec}};
        // The only worker runs the outer task, so the inner one is still
        // queued when join() runs it inline.
        auto outer = p.spawn([&] {
            inner_line = __LINE__ + 1;
            auto inner = p.spawn([] {
                tr::mark("inner ran");
                return 7;
            });
            return inner.join();
        });
        CHECK(outer.join() == 7);
    }
    CHECK(lane_of_slice_holding(rec, here(inner_line), "mark inner ran") == "worker 0");
    const json doc = trace_test::json_of(rec);
    // The outer and the inner task, nothing for the stale entry.
    CHECK(trace_test::check_trace(doc).slices.size() == 2);
}

TEST_CASE("a pool.spawn task joined by a guest from another pool is recorded on the guest's lane") {
    tr::recorder rec;
    rec.start();
    unsigned inner_line = 0;
    {
        tinyrt::pool a{{.workers = 1, .trace = &rec, .trace_name = "a"}};
        tinyrt::pool b{{.workers = 1, .trace = &rec, .trace_name = "b"}};
        int got = 0;
        {
            const worker_blocker busy{b};  // b's worker cannot claim the task first
            got = a.spawn([&] {
                       inner_line = __LINE__ + 1;
                       auto inner = b.spawn([] {
                           tr::mark("guest ran");
                           return 5;
                       });
                       return inner.join();  // on a's worker: a guest of b
                   }).join();
        }
        CHECK(got == 5);
    }
    CHECK(lane_of_slice_holding(rec, here(inner_line), "mark guest ran") == "a worker 0");
}

TEST_CASE("a task_group child from outside that its waiter ran is recorded on the waiter's lane") {
    tr::recorder rec;
    rec.start();
    unsigned child_line = 0;
    {
        tinyrt::pool p{{.workers = 1, .trace = &rec, .trace_name = "p"}};
        tinyrt::pool a{{.workers = 1, .trace = &rec, .trace_name = "a"}};
        std::atomic<int> ran{0};
        {
            const worker_blocker busy{p};  // p's worker cannot take the child's ticket first
            a.spawn([&] {
                 tinyrt::task_group g{p};
                 child_line = __LINE__ + 1;
                 g.spawn([&] {
                     tr::mark("child ran");
                     ran.fetch_add(1);
                 });        // from a's worker: a child from outside p
                 g.wait();  // a guest waiter of p: runs the child here
             }).join();
        }
        CHECK(ran.load() == 1);
    }
    CHECK(lane_of_slice_holding(rec, here(child_line), "mark child ran") == "a worker 0");
}

TEST_CASE("a worker traced for another recorder does not record its untraced pool's tasks there") {
    tr::recorder rec;
    rec.start();
    {
        tinyrt::pool p{{.workers = 1}};  // not traced
        auto outer = p.spawn([&] {
            // As a loop running on this worker with a recorder of its own does.
            auto attached = rec.attach_this_thread(tr::track_kind::thread, 0, "other");
            tinyrt::task_group g{p};
            g.spawn([] {});
            g.wait();                                 // the child runs here (run_task)
            return p.spawn([] { return 7; }).join();  // joined inline (claimed)
        });
        CHECK(outer.join() == 7);
    }
    rec.stop();
    CHECK(rec.recorded() == 0);
}
