// tinyrt::source_location: where a task was spawned, for its name in the
// timeline (tinyrt/trace). std::source_location where the standard library
// provides it; otherwise (clang before 15 with libstdc++, which has no
// __builtin_source_location) a small type with the same interface, filled by
// the __builtin_FILE/__builtin_LINE/__builtin_FUNCTION default arguments,
// which both compilers evaluate at the outermost call, as current() must.
#pragma once

#include <version>

#ifdef __cpp_lib_source_location
#include <source_location>
#else
#include <cstdint>
#endif

namespace tinyrt {

#ifdef __cpp_lib_source_location
using source_location = std::source_location;
#else
class source_location {
public:
    constexpr source_location() noexcept = default;
    static constexpr source_location current(const char* file = __builtin_FILE(),
                                             const char* function = __builtin_FUNCTION(),
                                             std::uint_least32_t line = __builtin_LINE()) noexcept {
        source_location l;
        l.file_ = file;
        l.function_ = function;
        l.line_ = line;
        return l;
    }
    constexpr const char* file_name() const noexcept { return file_; }
    constexpr const char* function_name() const noexcept { return function_; }
    constexpr std::uint_least32_t line() const noexcept { return line_; }
    constexpr std::uint_least32_t column() const noexcept { return 0; }

private:
    const char* file_ = "";
    const char* function_ = "";
    std::uint_least32_t line_ = 0;
};
#endif

}  // namespace tinyrt
