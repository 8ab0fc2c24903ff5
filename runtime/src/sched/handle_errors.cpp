// A detached task's failure report and the errors of spawn and join():
// out of line (join_handle.hpp), and in an
// object of their own, apart from join's wait (join.cpp), so that a program
// that spawns without ever joining does not link the waits.
#include <exception>
#include <stdexcept>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/sched/join_handle.hpp"

namespace tinyrt::detail {

#if TINYRT_EXCEPTIONS
void report_detached_failure(const std::exception_ptr& e) noexcept {
    report_error("a detached task failed", e);
}
#endif

void throw_empty_join() {
    TINYRT_THROW(std::logic_error(
        "tinyrt::join_handle::join: the handle is empty (already joined or detached)"));
}

void throw_shutting_down() {
    TINYRT_THROW(std::logic_error("tinyrt::pool::spawn: the pool is shutting down"));
}

}  // namespace tinyrt::detail
