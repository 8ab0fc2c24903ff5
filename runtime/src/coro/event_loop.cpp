// tinyrt::event_loop's public side: post with a std::function, keep-alives.
// The machinery is in loop_core.cpp.
#include "tinyrt/coro/event_loop.hpp"

#include <exception>
#include <functional>
#include <utility>

#include "tinyrt/detail/config.hpp"

namespace tinyrt {
namespace {

// A posted std::function: the allocating, convenient form of post().
struct posted_function : detail::posted_work {
    std::function<void()> fn;

    explicit posted_function(std::function<void()> f) noexcept : fn(std::move(f)) {
        run = &invoke;
        drop = &discard;
    }
    static void invoke(detail::posted_work* self) noexcept {
        auto* p = static_cast<posted_function*>(self);
#if TINYRT_EXCEPTIONS
        // Reported like a failed detached task: nobody can receive the error,
        // and one bad callback must not end the loop (or the program).
        try {
            p->fn();
        } catch (...) {
            detail::report_error("a function posted to the loop failed", std::current_exception());
        }
#else
        p->fn();
#endif
        delete p;
    }
    static void discard(detail::posted_work* self) noexcept {
        delete static_cast<posted_function*>(self);
    }
};

}  // namespace

void event_loop::post(std::function<void()> fn) {
    detail::loop_core::post(new posted_function(std::move(fn)));
}

loop_keep_alive event_loop::keep_alive() noexcept {
    hold_keep_alive();
    return loop_keep_alive(this);
}

void loop_keep_alive::post(std::function<void()> fn) const {
    if (loop_ == nullptr) detail::fatal("post through an empty loop_keep_alive");
    loop_->post(std::move(fn));
}

void loop_keep_alive::reset() noexcept {
    if (loop_ == nullptr) return;
    detail::loop_core& core = detail::core_of(*std::exchange(loop_, nullptr));
#if TINYRT_EXCEPTIONS
    try {
        core.release_keep_alive();
    } catch (...) {
        detail::fatal("out of memory releasing a loop_keep_alive");
    }
#else
    core.release_keep_alive();
#endif
}

}  // namespace tinyrt
