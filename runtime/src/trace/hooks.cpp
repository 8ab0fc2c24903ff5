// The hooks (hooks.hpp) forward to the loop's timeline work, which the
// recorder that owns this thread's buffer carries (coro/detail/trace_sites.hpp):
// called only while that buffer is non-null, and linked without the work.
#include "tinyrt/trace/hooks.hpp"

#include "tinyrt/coro/detail/trace_sites.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace tinyrt::trace::hooks {

namespace {
const detail::loop_trace_sites& sites() noexcept {
    return current_buffer()->owner()->loop_sites();
}
}  // namespace

void coroutine_spawned(std::uint64_t id, tinyrt::task_name name) noexcept {
    sites().coroutine_spawned(id, name);
}

void coroutine_created(std::uint64_t promise, tinyrt::source_location loc) noexcept {
    sites().coroutine_created(promise, loc);
}

void coroutine_root(std::uint64_t id, std::uint64_t promise) noexcept {
    sites().coroutine_root(id, promise);
}

void to_thread_out(std::uint64_t job) noexcept {
    sites().to_thread_out(job);
}

void to_thread_back(std::uint64_t job) noexcept {
    sites().to_thread_back(job);
}

}  // namespace tinyrt::trace::hooks
