// Cache-line size and padding, so hot atomics of different owners never share
// a line (false sharing turns every write into a coherence miss for the other
// core).
#pragma once

#include <cstddef>
#include <new>

namespace tinyrt::detail {

// 64 bytes on x86-64 and most ARM cores. std::hardware_destructive_interference_size
// would be the portable spelling, but GCC warns that its value may change
// between compiler versions, which would change tinyrt's ABI.
inline constexpr std::size_t cache_line = 64;

// A T alone on its own cache line(s).
template <typename T>
struct alignas(cache_line) padded {
    T value{};
};

}  // namespace tinyrt::detail
