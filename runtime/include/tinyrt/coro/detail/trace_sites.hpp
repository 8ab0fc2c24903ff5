// The event loop's timeline work (internal): a traced loop's lane and its
// main coroutine's spawn, a post from another thread, and the coroutine
// hooks (trace/hooks.hpp). A table of functions that the recorder carries
// (trace::recorder::loop_sites()), defined with the recorder's code in
// coro/trace_sites.cpp: a program that never makes a recorder does not link
// it, and the loop reaches it only behind its one-branch checks.
#pragma once

#include <cstdint>

#include "tinyrt/trace/current.hpp"  // source_location, task_name, the recorder types

namespace tinyrt::detail {

struct loop_trace_sites {
    // Attaches the running thread as loop `id`'s lane ("loop N") and
    // records the spawn of its main coroutine, root `main`, named by `loc`.
    trace::thread_attachment (*attach_loop)(trace::recorder& rec, std::uint64_t id,
                                            std::uint64_t main, tinyrt::source_location loc);
    // A post to a loop traced by `rec`, from any thread (sites.hpp, post_from).
    void (*post_from)(trace::recorder& rec, std::uint64_t flow);
    // The hooks (trace/hooks.hpp), on a thread whose buffer `rec` owns.
    void (*coroutine_spawned)(std::uint64_t id, tinyrt::task_name name) noexcept;
    void (*coroutine_created)(std::uint64_t promise, tinyrt::source_location loc) noexcept;
    void (*coroutine_root)(std::uint64_t id, std::uint64_t promise) noexcept;
    void (*to_thread_out)(std::uint64_t job) noexcept;
    void (*to_thread_back)(std::uint64_t job) noexcept;
};

// The table (coro/trace_sites.cpp); every recorder points at it.
extern const loop_trace_sites loop_trace_table;

}  // namespace tinyrt::detail
