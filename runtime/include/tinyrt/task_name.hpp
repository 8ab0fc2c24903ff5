// tinyrt::task_name: what a spawned task is called in the timeline
// (tinyrt/trace). pool.spawn, task_group::spawn, create_task and to_thread
// take one as their last, defaulted, argument: by default the spawn's source
// location, shown as "download.cpp:42"; or a name the program gives, shown as
// it is:
//
//   pool.spawn(fetch);                  // "main.cpp:12"
//   pool.spawn(fetch, "fetch index");   // "fetch index"
//
// A given name is kept by pointer until the trace is written: a string
// literal, or a copy made by recorder::intern(). Costs nothing when the
// pool or loop is not traced (it is only read by the timeline's sites).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyrt/source_location.hpp"

namespace tinyrt {

class task_name {
public:
    // The spawn's location: the default argument of every spawn.
    constexpr task_name(const tinyrt::source_location& where) noexcept
        : text_(where.file_name()), line_(static_cast<std::uint32_t>(where.line())) {}
    // A name of the program's own, which must outlive the trace (above).
    constexpr task_name(const char* name) noexcept : text_(name) {}
    // No name is not a name (it would also hide a coroutine's own).
    task_name(std::nullptr_t) = delete;

    // A file name when line() is not 0, else the given name.
    constexpr const char* text() const noexcept { return text_; }
    constexpr std::uint32_t line() const noexcept { return line_; }

private:
    const char* text_;
    std::uint32_t line_ = 0;
};

}  // namespace tinyrt
