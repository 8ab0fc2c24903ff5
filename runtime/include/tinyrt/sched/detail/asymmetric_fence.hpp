// An asymmetric store-load fence: nearly free on the hot side, expensive on
// the rare side.
//
// The park protocol (parking.hpp) is a store-buffering pattern: a spawning
// worker stores its deque's bottom and then loads the sleeper count; a
// parking worker stores the sleeper count and then loads every deque. Both
// sides need a store-load fence, or both can read the old value (DESIGN.md,
// "Park and notify"). Spawning happens ~30 million times in
// fib(35) and parking a few times per second, so tinyrt puts the whole cost
// on the parking side, as Folly's asymmetric barriers and the Linux
// membarrier(2) documentation describe:
//
// - light side (after every local push): a compiler barrier only;
// - heavy side (before a park's re-check): membarrier(PRIVATE_EXPEDITED),
//   which makes every running thread of the process execute a full memory
//   barrier before it returns, and a thread that is not running has passed
//   a context switch, itself a full barrier.
//
// So every light-side thread's program is cut by a full barrier somewhere
// inside the heavy side's call: its store is before the cut (and visible to
// the re-check that follows the call) or its later load is after the cut
// (and sees the sleeper count stored before the call). One of the two sides
// always sees the other, as with a pair of seq_cst fences.
//
// Fallbacks: if the kernel refuses membarrier at registration, or under
// ThreadSanitizer (which cannot see the kernel's barrier), both sides use
// fence_seq_cst(). A membarrier call that fails after a successful
// registration is fatal: the light side is then already a compiler barrier
// only, and a heavy side falling back to a plain fence would not pair with it.
#pragma once

#include <atomic>

#include "tinyrt/detail/atomic.hpp"

namespace tinyrt::detail {

// Set once by asymmetric_fence_init() before any pool worker starts.
inline detail::atomic<bool> membarrier_ready{false};

// Registers the process for expedited membarrier. Idempotent, thread-safe.
void asymmetric_fence_init() noexcept;

// The cheap half: pairs with asymmetric_heavy_fence().
inline void asymmetric_light_fence() noexcept {
    chaos::point();
#if TINYRT_TSAN
    fence_seq_cst();
#else
    if (membarrier_ready.load(
            relaxed)) {  // written once before the workers start (thread creation orders it)
        std::atomic_signal_fence(seq_cst);  // stops the compiler moving the load above the store
    } else {
        fence_seq_cst();
    }
#endif
}

// The expensive half: pairs with asymmetric_light_fence() in every thread.
void asymmetric_heavy_fence() noexcept;

}  // namespace tinyrt::detail
