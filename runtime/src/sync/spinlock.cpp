#include "tinyrt/sync/spinlock.hpp"

#include <chrono>

#include "tinyrt/detail/backoff.hpp"

namespace tinyrt {

namespace {
// A waiter that has waited this long counts as starving: long against any
// sensible spinlock critical section, short against a scheduler time slice.
// Measured in time, not in yields, because one yield costs anything from
// 0.1 us (nobody else runnable) to a whole time slice of the thread that
// holds the core.
constexpr auto starve_after = std::chrono::microseconds(500);
}  // namespace

void spinlock::lock_slow() noexcept {
    detail::backoff wait;
    bool starving = false;
    std::chrono::steady_clock::time_point first_yield{};
    for (;;) {
        // Non-starving threads stand back while anyone starves, so the lock
        // goes to one of the starving threads next.
        if (starving || starving_.load(detail::relaxed) == 0) {  // a heuristic; exclusion rests on the exchange
            if (!locked_.load(detail::relaxed) &&                 // spin on a shared copy of the line
                !locked_.exchange(true, detail::acquire))         // pairs with the release store in unlock()
                break;
        }
        wait.pause();
        if (starving || !wait.exhausted()) continue;
        // Yielding now: read the clock only on this slow branch.
        const auto now = std::chrono::steady_clock::now();
        if (wait.yields() == 1) {
            first_yield = now;
        } else if (now - first_yield >= starve_after) {
            starving = true;
            starving_.fetch_add(1, detail::relaxed);  // a heuristic flag; publishes no data
        }
    }
    if (starving) starving_.fetch_sub(1, detail::relaxed);  // a heuristic flag; publishes no data
}

}  // namespace tinyrt
