// Build configuration visible to every header: whether exceptions exist, and
// how the runtime reports an error it cannot throw.
#pragma once

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define TINYRT_EXCEPTIONS 1
#else
#define TINYRT_EXCEPTIONS 0
#endif

#if TINYRT_EXCEPTIONS
#include <exception>
#endif

namespace tinyrt::detail {

// Prints "tinyrt: <what>" to stderr and aborts. Used where an exception would
// be thrown in a build without exceptions: the program ends with a clear
// message instead of undefined behaviour.
[[noreturn]] void fatal(const char* what) noexcept;

#if TINYRT_EXCEPTIONS
// Prints "tinyrt: <context>: <what()>" to stderr for an error nobody can
// receive (a detached task's, a posted function's), so that no failure is
// dropped silently; "(not a std::exception)" when it is not one.
void report_error(const char* context, const std::exception_ptr& error) noexcept;
#endif

}  // namespace tinyrt::detail

#if TINYRT_EXCEPTIONS
#define TINYRT_THROW(ex) throw ex
#else
#define TINYRT_THROW(ex) ::tinyrt::detail::fatal((ex).what())
#endif
