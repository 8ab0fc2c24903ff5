// tinyrt::trace::span: a named bar of the program's own inside a task.
//
//   auto inc = [](int x) { tinyrt::trace::span s{"inc"}; ...; return x + 1; };
//
// While the calling thread is traced (a worker of a pool given a recorder,
// a loop's thread, a thread attached by hand) the span records a begin when
// it is made and an end when it is destroyed, on that thread's track, drawn
// nested in the task that runs it; otherwise it costs one predictable branch
// each way. Make it and destroy it on the same thread, with no suspension
// point between: in a coroutine, only around code that does not co_await
// (a suspended coroutine's span would swallow the other tasks' bars).
// `name` must outlive the recorder: a string literal or recorder::intern().
#pragma once

#include <cstdint>

#include "tinyrt/trace/sites.hpp"

namespace tinyrt::trace {

class [[nodiscard]] span {
public:
    explicit span(const char* name) noexcept {
        task_begin(reinterpret_cast<std::uintptr_t>(this), name, 0, task_kind::other);
    }
    span(const span&) = delete;
    span& operator=(const span&) = delete;
    ~span() { task_end(reinterpret_cast<std::uintptr_t>(this)); }
};

}  // namespace tinyrt::trace
