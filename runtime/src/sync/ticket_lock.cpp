#include "tinyrt/sync/ticket_lock.hpp"

#include <climits>

#include "tinyrt/detail/backoff.hpp"
#include "tinyrt/detail/futex.hpp"

namespace tinyrt {

void ticket_lock::lock_slow(std::uint32_t ticket) noexcept {
    detail::backoff wait;
    for (;;) {
        const std::uint32_t serving = serving_.load(detail::acquire);  // pairs with the seq_cst store in unlock()
        if (serving == ticket) return;
        if (ticket - serving <= awake_distance) {  // near the front (unsigned: tickets wrap around)
            wait.pause();             // spin, then yield so a preempted owner can finish
            continue;
        }
        // Step 3: further back. Sleep until an unlock brings us near the front.
        slot& mine = slots_[ticket % slot_count];
        const std::uint32_t word = mine.word.load(detail::acquire);  // pairs with the release bump in wake()
        mine.sleepers.fetch_add(1);                                  // seq_cst: the Dekker pair with unlock()
        if (ticket - serving_.load() > awake_distance) detail::futex_wait(mine.word, word);  // seq_cst: same pair
        mine.sleepers.fetch_sub(1, detail::relaxed);  // only a hint for unlock(); a stale count costs a spare wake
        wait.reset();
    }
}

void ticket_lock::wake(slot& s) noexcept {
    s.word.fetch_add(1, detail::release);  // pairs with the acquire read of the word in lock_slow()
    detail::futex_wake(s.word, INT_MAX);   // several tickets may share the slot
}

}  // namespace tinyrt
