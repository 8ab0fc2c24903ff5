#include "tinyrt/trace/hooks.hpp"

#include "tinyrt/trace/sites.hpp"

namespace tinyrt::trace::hooks {

void coroutine_spawned(std::uint64_t id, tinyrt::task_name name) noexcept {
    spawn(id, name.text(), name.line(), task_kind::coroutine, 0);
}

void coroutine_created(std::uint64_t promise, tinyrt::source_location loc) noexcept {
    trace::coroutine_created(promise, loc.function_name());
}

void coroutine_root(std::uint64_t id, std::uint64_t promise) noexcept {
    trace::coroutine_root(id, promise);
}

void to_thread_out(std::uint64_t job) noexcept {
    trace::to_thread_out(job, 0);
}

void to_thread_back(std::uint64_t job) noexcept {
    trace::to_thread_back(job, 0);
}

}  // namespace tinyrt::trace::hooks
