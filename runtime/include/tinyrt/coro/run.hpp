// tinyrt::run: asyncio.run. Runs an event loop on the calling thread until
// `main` finishes and returns its value (or rethrows its exception).
//
//   int main() { return tinyrt::run(amain()); }
//
// When `main` finishes, every task still unfinished (detached create_task
// handles, handles kept elsewhere) is cancelled and the loop keeps running
// until each has finished its cancellation -- asyncio.run's shutdown -- so no
// frame outlives the call. Not re-entrant: calling run inside a running loop
// on the same thread ends the program with a message.
#pragma once

#include <utility>

#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/coro/task.hpp"

namespace tinyrt {

// Runs `main` on `loop` (which must not be running); see run() above.
template <typename T>
T run_on(event_loop& loop, task<T> main) {
    struct owner {
        detail::task_node* node;
        ~owner() { detail::release_root(node); }
    } root{detail::spawn_task(loop, std::move(main), nullptr)};
    loop.run_until_done(root.node);
    return detail::take_result<T>(root.node);
}

template <typename T>
T run(task<T> main) {
    event_loop loop;
    return run_on(loop, std::move(main));
}

}  // namespace tinyrt
