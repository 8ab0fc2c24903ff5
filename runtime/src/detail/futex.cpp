#include "tinyrt/detail/futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "tinyrt/detail/chaos.hpp"

namespace tinyrt::detail {

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t),
              "futex needs the atomic to be a plain 32-bit word");

namespace {
long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t val) noexcept {
    // The kernel reads the word itself; the reinterpret is the documented
    // way to hand it a std::atomic of the same size and representation.
    return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op | FUTEX_PRIVATE_FLAG,
                     val, nullptr, nullptr, 0);
}
}  // namespace

void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept {
    chaos::point();
    futex(word, FUTEX_WAIT, expected);  // EAGAIN (word changed) and EINTR both mean "re-check"
}

void futex_wake(std::atomic<std::uint32_t>& word, int count) noexcept {
    chaos::point();
    futex(word, FUTEX_WAKE, static_cast<std::uint32_t>(count < 0 ? INT_MAX : count));
}

}  // namespace tinyrt::detail
