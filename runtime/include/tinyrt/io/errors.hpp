// How tinyrt's I/O layer reports a failed system call: a std::system_error
// whose code is the errno value and whose what() carries the system's own
// words, e.g. "connect 127.0.0.1:8080: Connection refused". Callers test
// e.code() == std::errc::connection_refused rather than parse the text.
//
// Without exceptions (-fno-exceptions) the same message ends the program via
// detail::fatal, so an unhandled I/O error is never silent in either build.
#pragma once

#include <cstddef>
#include <string>
#include <system_error>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::io {

// The error for `err` (an errno value) during `operation`. generic_category,
// so codes compare equal to std::errc values on every libstdc++/libc++.
inline std::system_error make_system_error(int err, const std::string& operation) {
    return std::system_error(err, std::generic_category(), operation);
}

// Throws make_system_error(err, operation), or ends the program with its
// message when exceptions are off.
[[noreturn]] void raise_system_error(int err, const std::string& operation);

// Errors that are not errno values. end_of_stream: the peer closed the
// stream cleanly (read returned 0) before read_exact had all it asked for,
// which is not a reset (errc::connection_reset) and so has its own code.
enum class stream_errc { end_of_stream = 1 };
const std::error_category& stream_category() noexcept;
inline std::error_code make_error_code(stream_errc e) noexcept {
    return {static_cast<int>(e), stream_category()};
}

// Throws end_of_stream with how much arrived, or ends the program without
// exceptions.
[[noreturn]] void raise_end_of_stream(std::size_t got, std::size_t wanted);

}  // namespace tinyrt::io

template <>
struct std::is_error_code_enum<tinyrt::io::stream_errc> : std::true_type {};
