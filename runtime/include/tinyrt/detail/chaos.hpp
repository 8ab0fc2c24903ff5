// The chaos build's scheduling hook (cmake -DTINYRT_CHAOS=ON).
//
// In a chaos build every operation of a detail::atomic, every fence and
// every park, unpark and futex wait or wake first calls chaos::point(). The
// hook, driven by a per-thread generator seeded from seed(), sometimes
// yields, spins for a short random time or sleeps a few microseconds: a
// randomized scheduler in the spirit of PCT (Burckhardt et al.,
// "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs",
// ASPLOS 2010), so that orderings that are rare on few cores show up.
//
// In a normal build point() is an empty inline function and seed() does
// nothing, so callers need no #if and the generated code is unchanged.
#pragma once

#include <cstdint>

#ifndef TINYRT_CHAOS
#define TINYRT_CHAOS 0
#endif

namespace tinyrt::detail::chaos {

inline constexpr bool enabled = TINYRT_CHAOS != 0;

#if TINYRT_CHAOS

// Seeds every thread's generator: each thread mixes its own index (the order
// in which threads first reach point()) into `s`. A thread that already ran
// reseeds at its next point(). Any thread, any time.
void seed(std::uint64_t s) noexcept;

// The hook: most calls return at once; some yield, spin or sleep.
void point() noexcept;

#else

inline void seed(std::uint64_t) noexcept {}
inline void point() noexcept {}

#endif

}  // namespace tinyrt::detail::chaos
