#include "tinyrt/detail/track_name.hpp"

#include <cstdio>

namespace tinyrt::detail {

std::string track_name(const char* name, const char* kind, std::uint64_t index) {
    const auto n = static_cast<unsigned long long>(index);
    // Measured first, then written in place: a name of any length fits.
    const int length = name != nullptr ? std::snprintf(nullptr, 0, "%s %s %llu", name, kind, n)
                                       : std::snprintf(nullptr, 0, "%s %llu", kind, n);
    std::string text(length > 0 ? static_cast<std::size_t>(length) : 0, '\0');
    if (text.empty()) return text;  // an encoding error: no name rather than a wrong one
    // Writes length characters and the terminator std::string keeps after them.
    if (name != nullptr) {
        std::snprintf(text.data(), text.size() + 1, "%s %s %llu", name, kind, n);
    } else {
        std::snprintf(text.data(), text.size() + 1, "%s %llu", kind, n);
    }
    return text;
}

}  // namespace tinyrt::detail
