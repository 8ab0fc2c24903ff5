// tinyrt::event_loop's public side: keep-alives, and the out-of-line parts
// of post (posted_function.hpp). The machinery is in loop_core.cpp.
#include "tinyrt/coro/event_loop.hpp"

#include <exception>
#include <utility>

#include "tinyrt/detail/config.hpp"

namespace tinyrt {

#if TINYRT_EXCEPTIONS
void detail::report_posted_failure() noexcept {
    detail::report_error("a function posted to the loop failed", std::current_exception());
}
#endif

loop_keep_alive event_loop::keep_alive() noexcept {
    hold_keep_alive();
    return loop_keep_alive(this);
}

void loop_keep_alive::empty_post() noexcept {
    detail::fatal("post through an empty loop_keep_alive");
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
