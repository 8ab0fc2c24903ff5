// The event loop's timeline work (coro/detail/trace_sites.hpp). Referenced
// only by the recorder's constructor, so linked only into programs that
// make one.
#include "tinyrt/coro/detail/trace_sites.hpp"

#include "tinyrt/detail/track_name.hpp"
#include "tinyrt/trace/sites.hpp"

namespace tinyrt::detail {

namespace {

trace::thread_attachment attach_loop(trace::recorder& rec, std::uint64_t id, std::uint64_t main,
                                     tinyrt::source_location loc) {
    auto attachment = rec.attach_this_thread(
        trace::track_kind::loop, static_cast<std::uint32_t>(id), track_name(nullptr, "loop", id));
    trace::spawn(main, loc.file_name(), loc.line(), trace::task_kind::coroutine, 0);
    return attachment;
}

void post_from(trace::recorder& rec, std::uint64_t flow) {
    trace::post_from(&rec, flow);
}

void coroutine_spawned(std::uint64_t id, tinyrt::task_name name) noexcept {
    trace::spawn(id, name.text(), name.line(), trace::task_kind::coroutine, 0);
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

}  // namespace

const loop_trace_sites loop_trace_table{attach_loop,       post_from,      coroutine_spawned,
                                        coroutine_created, coroutine_root, to_thread_out,
                                        to_thread_back};

}  // namespace tinyrt::detail
