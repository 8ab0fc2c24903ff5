// Writing a file without blocking the event loop, as aiofiles does: the
// open/write/close system calls run on a tinyrt::pool worker via
// tinyrt::to_thread, and the awaiting coroutine resumes on its loop when the
// worker is done. Disk writes cannot be made non-blocking with epoll (regular
// files are always "ready"), so a thread is the portable answer.
#pragma once

#include <string>
#include <string_view>

#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"

namespace tinyrt::io {

// Creates or truncates `path` (mode 0644) and writes all of `contents`,
// looping over partial writes. Blocking; returns 0 or the errno value. The
// building block for both the sequential demos and write_file below.
[[nodiscard]] int write_file_blocking(const std::string& path, std::string_view contents) noexcept;

// The same on `workers`: the loop keeps running other tasks meanwhile.
// Takes its arguments by value: the worker owns what it writes, so nothing
// it touches can be destroyed under it. Raises std::system_error
// ("write file out/0002.jpg: Permission denied") on failure.
[[nodiscard]] task<void> write_file(pool& workers, std::string path, std::string contents);

}  // namespace tinyrt::io
