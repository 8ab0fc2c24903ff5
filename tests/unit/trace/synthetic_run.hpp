// A run of a small program written by hand through the event-site API, as
// the scheduler and the loop will record it: three workers of one pool, an
// event loop and the main thread, each a real thread, moving through phases
// together (a std::barrier), so which event precedes which is fixed while
// the timestamps are real.
//
//   phase 1  main spawns "job a".."job f" (pool.spawn, flow = task id)
//   phase 2  worker w runs jobs w and w+3; worker 0's first job forks two
//            children ("fib child" 100 and 101), runs 100 itself and starts
//            helping; worker 2 parks; the loop resumes g(1) and g(2), sets
//            two timers and sends job 200 out with to_thread
//   phase 3  worker 1 steals child 101 from worker 0 and runs it; worker 2
//            wakes and runs "write_file" (job 200) for the loop
//   phase 4  worker 0 stops helping and ends its job; the loop's timers
//            fire, it takes job 200's result back and resumes g(1), g(2)
//
// `extra_tasks` small tasks per worker (spawned by the worker itself, name
// "leaf") scale the run up for the large-trace tests and the benchmark.
#pragma once

#include <barrier>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tinyrt/trace/recorder.hpp"
#include "tinyrt/trace/sites.hpp"

namespace trace_test {

inline constexpr int workers = 3;
inline constexpr const char* job_names[] = {"job a", "job b", "job c", "job d", "job e", "job f"};

// Every slice name the small run must show.
inline std::vector<std::string> expected_names() {
    return {"job a", "job b",     "job c",      "job d", "job e",
            "job f", "fib child", "write_file", "g(1)",  "g(2)"};
}

inline void synthetic_run(tinyrt::trace::recorder& rec, int extra_tasks = 0) {
    namespace tr = tinyrt::trace;
    std::barrier sync(workers + 2);
    auto phase = [&] { sync.arrive_and_wait(); };

    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            auto attached =
                rec.attach_this_thread(tr::track_kind::worker, static_cast<std::uint32_t>(w),
                                       "worker " + std::to_string(w), 1);
            phase();  // 1: main spawns
            phase();
            // 2
            for (int k = 0; k < 2; ++k) {
                const std::uint64_t id = static_cast<std::uint64_t>(w + 3 * k + 1);
                tr::task_begin(id, job_names[id - 1], 0, tr::task_kind::spawn, id);
                for (int e = 0; e < extra_tasks / 2; ++e) {
                    const std::uint64_t leaf = 1000 + static_cast<std::uint64_t>(w) * 10000000 +
                                               static_cast<std::uint64_t>(k * extra_tasks + e);
                    tr::spawn(leaf, "leaf", 0, tr::task_kind::fork_join, leaf);
                    tr::task_begin(leaf, "leaf", 0, tr::task_kind::fork_join, leaf);
                    tr::task_end(leaf);
                }
                if (w == 0 && k == 0) {
                    tr::spawn(100, "fib child", 0, tr::task_kind::fork_join, 100);
                    tr::spawn(101, "fib child", 0, tr::task_kind::fork_join, 101);
                    tr::task_begin(100, "fib child", 0, tr::task_kind::fork_join, 100);
                    tr::task_end(100);
                    tr::help_begin(1);
                    break;  // job 1 stays open until phase 4
                }
                tr::task_end(id);
            }
            if (w == 2) tr::park();
            phase();
            // 3
            if (w == 1) {
                tr::steal(101, 0, 0);
                tr::task_begin(101, "fib child", 0, tr::task_kind::fork_join, 101);
                tr::task_end(101);
            }
            if (w == 2) {
                tr::unpark();
                tr::task_begin(200, "write_file", 0, tr::task_kind::to_thread, 200);
                tr::task_end(200, 201);
            }
            phase();
            // 4
            if (w == 0) {
                tr::help_end(1);
                tr::task_end(1);
                tr::task_begin(4, job_names[3], 0, tr::task_kind::spawn, 4);
                tr::task_end(4);
            }
            phase();
        });
    }
    threads.emplace_back([&] {
        auto attached = rec.attach_this_thread(tr::track_kind::loop, 1, "loop 1");
        phase();
        phase();
        // 2
        tr::resume(11, "g(1)");
        tr::timer_set(1, 1000);
        tr::suspend(11);
        tr::resume(12, "g(2)");
        tr::timer_set(2, 1000);
        tr::to_thread_out(200, 200);
        tr::suspend(12);
        phase();
        phase();
        // 4
        tr::timer_fire(1);
        tr::resume(11, "g(1)");
        tr::suspend(11);
        tr::timer_fire(2);
        tr::to_thread_back(200, 201);
        tr::resume(12, "g(2)");
        tr::suspend(12);
        phase();
    });

    // main: an outside thread that spawns.
    rec.name_this_thread("main");
    phase();
    // 1
    for (std::uint64_t id = 1; id <= 6; ++id) {
        // Job 1 is the one worker 0 forks in; job 4 runs last, in phase 4.
        tr::spawn_from(&rec, id, job_names[id - 1], 0, tr::task_kind::spawn, id);
    }
    phase();
    phase();
    phase();
    phase();
    for (auto& t : threads) t.join();
}

}  // namespace trace_test
