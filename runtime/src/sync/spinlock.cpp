#include "tinyrt/sync/spinlock.hpp"

#include "tinyrt/detail/backoff.hpp"
#include "tinyrt/detail/fault.hpp"

namespace tinyrt {

void spinlock::lock_slow() noexcept {
    // test-only fault: a contended lock() enters without the lock
    if (TINYRT_FAULT("lock_skip")) return;
    detail::backoff wait;
    for (;;) {
        wait.pause();  // back off first: the fast path just failed
        if (!locked_.load(detail::relaxed) &&         // spin on a shared copy of the line
            !locked_.exchange(true, detail::acquire))  // pairs with the release store in unlock()
            return;
    }
}

}  // namespace tinyrt
