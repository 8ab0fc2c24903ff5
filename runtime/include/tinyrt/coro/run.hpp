// tinyrt::run: asyncio.run. Runs an event loop on the calling thread until
// `main` finishes and returns its value (or rethrows its exception).
//
//   int main() { return tinyrt::run(amain()); }
//
// Shutdown (asyncio.run's), in loop_core::run_until_done:
//   1. `main` reaches its final_suspend: its node is marked done.
//   2. Every root still on the loop's live list (detached create_task
//      handles, handles kept elsewhere, tasks they started) is cancelled:
//      a parked one is unregistered and made ready, a ready one gets
//      cancel_pending.
//   3. The loop runs steps until the live list is empty: each cancelled task
//      sees cancelled_error at its await, unwinds (destructors run) and
//      finishes; a detached one frees itself, an owned one waits for its
//      owner to drop it.
//   4. Work posted meanwhile by other threads is drained.
//      From step 2 on, every suspension is cancelled again (park), so a
//      task that catches the cancellation and awaits once more (cleanup,
//      or a loop that starts new work each turn) is cancelled there too.
// Why nothing leaks: a root is on the live list from spawn to finish, so
// step 3 ends only when every root has finished. Why it ends: every await
// of a remaining task reports cancelled_error, so only a task that catches
// it and loops forever without finishing could hold it up.
// Not re-entrant: calling run inside a running loop on the same thread ends
// the program with a message.
#pragma once

#include <utility>

#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/trace/hooks.hpp"

namespace tinyrt {

// Runs `main` on `loop` (which must not be running); see run() above.
// Timeline (event_loop::set_trace): `main` is named by the call's source
// location.
template <typename T>
T run_on(event_loop& loop, task<T> main,
         tinyrt::source_location loc = tinyrt::source_location::current()) {
    struct owner {
        detail::task_node* node;
        ~owner() { node->release(); }
    } root{detail::spawn_task(detail::core_of(loop), std::move(main), nullptr)};
    detail::core_of(loop).run_until_done(root.node, loc);
    return detail::take_result<T>(root.node);
}

template <typename T>
T run(task<T> main, tinyrt::source_location loc = tinyrt::source_location::current()) {
    event_loop loop;
    return run_on(loop, std::move(main), loc);
}

// run() with the loop's timeline recorded into `rec` (null: off).
template <typename T>
T run(task<T> main, trace::recorder* rec,
      tinyrt::source_location loc = tinyrt::source_location::current()) {
    event_loop loop;
    loop.set_trace(rec);
    return run_on(loop, std::move(main), loc);
}

}  // namespace tinyrt
