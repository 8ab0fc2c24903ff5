#include "tinyrt/trace/hooks.hpp"

#include "tinyrt/trace/sites.hpp"

namespace tinyrt::trace::hooks {

void coroutine_spawned(std::uint64_t id, tinyrt::source_location loc) noexcept {
    spawn(id, loc.file_name(), loc.line(), task_kind::coroutine, 0);
}

void to_thread_out(std::uint64_t job) noexcept {
    trace::to_thread_out(job, 0);
}

void to_thread_back(std::uint64_t job) noexcept {
    trace::to_thread_back(job, 0);
}

}  // namespace tinyrt::trace::hooks
