// Out-of-line entry points for the event sites that sit in the public
// headers' templates (create_task, run, to_thread): those headers include
// only this and current.hpp, so recording's includes stay out of
// tinyrt.hpp. Call each only when trace::current_buffer() is non-null; the
// caller's test is the one predictable branch of the site.
#pragma once

#include <cstdint>

#include "tinyrt/source_location.hpp"
#include "tinyrt/task_name.hpp"

namespace tinyrt::trace::hooks {

// Coroutine root `id` (its task node) was created here: a spawn of kind
// coroutine named by `loc`, which the timeline gives to its resumptions.
void coroutine_spawned(std::uint64_t id, tinyrt::task_name name) noexcept;

// A coroutine was created in the function `loc` names (its promise, id
// `promise`, being constructed), and later became root `id` of the loop:
// together they name its resumptions when no spawn does (a child of
// gather, when_any or wait_for is named by its coroutine function).
void coroutine_created(std::uint64_t promise, tinyrt::source_location loc) noexcept;
void coroutine_root(std::uint64_t id, std::uint64_t promise) noexcept;

// to_thread job `job` leaves the loop (to_thread_out) or its result resumes
// the awaiter (to_thread_back); the flows are the job's spawn and the post
// that brings the result back.
void to_thread_out(std::uint64_t job) noexcept;
void to_thread_back(std::uint64_t job) noexcept;

}  // namespace tinyrt::trace::hooks
