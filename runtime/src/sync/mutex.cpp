#include "tinyrt/sync/detail/mutex_slow.hpp"

namespace tinyrt {

template <>
void mutex::lock_slow(std::uint32_t seen) noexcept {
    lock_slow_body(seen);
}

template <>
void mutex::unlock_slow() noexcept {
    unlock_slow_body();
}

}  // namespace tinyrt
