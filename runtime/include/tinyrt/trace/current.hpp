// tinyrt::trace::current_buffer(): whether the calling thread is being
// traced, in one thread-pointer-relative load; and tinyrt::source_location,
// which names spawned tasks. The scheduler's and the
// loop's headers include only this (and forward declarations); what a site
// records lives in buffer.hpp and sites.hpp, included by the .cpp files.
#pragma once

#include "tinyrt/source_location.hpp"
#include "tinyrt/task_name.hpp"

namespace tinyrt::trace {
class buffer;
class recorder;
class thread_attachment;
}  // namespace tinyrt::trace

namespace tinyrt::detail {
// The buffer this thread's event sites write to: set by a thread_attachment
// (recorder.hpp) for its lifetime, null otherwise. README, "Global state".
inline constinit thread_local trace::buffer* tls_trace_buffer = nullptr;
}  // namespace tinyrt::detail

namespace tinyrt::trace {
// This thread's attached buffer, or null when it is not being traced.
inline buffer* current_buffer() noexcept {
    return detail::tls_trace_buffer;
}
}  // namespace tinyrt::trace
