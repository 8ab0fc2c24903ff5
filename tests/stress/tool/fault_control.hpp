// The tool's side of the test-only faults (tinyrt/detail/fault.hpp). In the
// fault build (tinyrt-stress-faults, TINYRT_TEST_FAULTS defined) these reach
// the registry in faults/fault_registry.cpp; in tinyrt-stress they are inert
// and --fault does not exist.
#pragma once

#include <cstdint>
#include <string>

namespace stress {

#if defined(TINYRT_TEST_FAULTS)
inline constexpr bool faults_built_in = true;
#else
inline constexpr bool faults_built_in = false;
#endif

// Whether `name` is a known fault; the known names, comma-separated.
bool is_fault(const std::string& name);
std::string fault_names();

// Enables a fault with a probability per visit of its site (0: its default).
// Before any scenario thread starts.
void enable_fault(const std::string& name, double rate);

// Seeds the fault generators: `seed` is the run's seed.
void seed_faults(std::uint64_t seed);

// Gives the calling thread its own fault stream derived from the run's seed
// and `stream`, so a thread of the tool that makes the same calls in a
// replay draws the same faults. Threads that never call it (pool workers,
// loops) get a stream from the order in which they first reach a site.
void set_fault_stream(std::uint64_t stream);

// How many times each enabled fault fired, "name=N, ..." (empty if none).
std::string fault_counts();

}  // namespace stress
