// The detail layer builds and runs without exceptions or RTTI.
#include <atomic>

#include "check.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/futex.hpp"

int main() {
    std::atomic<std::uint32_t> word{1};
    tinyrt::detail::fence_seq_cst();
    tinyrt::detail::futex_wait(word, 0);
    NOEXCEPT_CHECK(word.load() == 1);
    return 0;
}
