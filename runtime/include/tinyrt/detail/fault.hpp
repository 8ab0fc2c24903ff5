// Test-only fault sites: places in the runtime where a test build can make
// the runtime misbehave on purpose, to prove that the stress tool
// (tests/stress, `tinyrt-stress-faults`) catches each kind of bug.
//
// `TINYRT_FAULT("name")` is the constant `false` unless TINYRT_TEST_FAULTS is
// defined, so in the library every site is `if (false) ...` and compiles to
// nothing. TINYRT_TEST_FAULTS is defined only for the test library
// `tinyrt_faults` (tests/stress/CMakeLists.txt: the runtime's sources again,
// linked only into `tinyrt-stress-faults`); there a site asks the registry
// (tests/stress/faults/fault_registry.cpp) whether the fault of that name was
// enabled with `--fault name` and, if so, draws from a generator seeded from
// `--seed` whether it fires this time.
//
// A site is one line and names its fault:
//     if (TINYRT_FAULT("lock_skip")) return;  // skip the exclusion
// A fault whose name ends in "_hang" never returns when it fires: the
// calling thread stops there for good (what the watchdog must report).
//     (void)TINYRT_FAULT("worker_hang");
#pragma once

#if defined(TINYRT_TEST_FAULTS)

namespace tinyrt::detail::fault {

// Whether the fault `name` fires at this call. False for a fault that was not
// enabled. Safe from any thread; never blocks.
bool fire(const char* name) noexcept;

}  // namespace tinyrt::detail::fault

#define TINYRT_FAULT(name) (::tinyrt::detail::fault::fire(name))

#else

#define TINYRT_FAULT(name) false

#endif
