// The node event_loop::post allocates: the posted work item (loop_core.hpp)
// and the callable in one allocation, run or dropped by the loop. No
// std::function, so <functional> stays out of the public headers and a
// posted lambda costs one node, not a node plus the function's own storage.
#pragma once

#include <type_traits>
#include <utility>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

#if TINYRT_EXCEPTIONS
// Reports the exception in flight ("a function posted to the loop failed"),
// like a failed detached task: nobody can receive it, and one bad callback
// must not end the loop (or the program). Call it only inside a catch block.
void report_posted_failure() noexcept;
#endif

// What post() accepts: a callable taking no arguments, kept by value.
template <typename F>
concept postable = (std::is_invocable_v<std::decay_t<F>&>);

template <typename F>
struct posted_function final : posted_work {
    F fn;

    template <typename G>
    explicit posted_function(G&& g) : fn(std::forward<G>(g)) {
        run = &invoke;
        drop = &discard;
    }

    static void invoke(posted_work* self) noexcept {
        auto* p = static_cast<posted_function*>(self);
#if TINYRT_EXCEPTIONS
        try {
            p->fn();
        } catch (...) {
            report_posted_failure();
        }
#else
        p->fn();
#endif
        delete p;
    }

    static void discard(posted_work* self) noexcept {
        delete static_cast<posted_function*>(self);
    }
};

// The node for `fn`, ready for loop_core::post (which takes it over).
template <typename F>
posted_work* make_posted(F&& fn) {
    return new posted_function<std::decay_t<F>>(std::forward<F>(fn));
}

}  // namespace tinyrt::detail
