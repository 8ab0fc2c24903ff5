// How the runtime reports a refused system resource (an epoll instance, an
// eventfd): std::system_error with the errno value and what was
// asked for. Out of line and shared, so that no caller compiles the
// exception's message formatting.
#pragma once

namespace tinyrt::detail {

// Raises std::system_error (code `err`, generic category; what() reads
// "<what>: <strerror(err)>"). Without exceptions: prints that and aborts.
[[noreturn]] void throw_system_error(int err, const char* what);

}  // namespace tinyrt::detail
