#include "tinyrt/sched/detail/asymmetric_fence.hpp"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

#if !TINYRT_TSAN  // under TSan the heavy fence is a plain seq_cst fence (see the header)
namespace {

long membarrier(int command) noexcept {
    return ::syscall(__NR_membarrier, command, 0U, 0);
}

}  // namespace
#endif

void asymmetric_fence_init() noexcept {
#if !TINYRT_TSAN
    // No once_flag: registering is idempotent, so pools constructed at the
    // same time may both do it. acquire pairs with the release store below:
    // a caller that finds the flag set is ordered after the registration.
    if (membarrier_ready.load(acquire)) return;
    long supported = membarrier(MEMBARRIER_CMD_QUERY);
    if (supported < 0 || (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return;
    if (membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) return;
    // Read by threads created after this (pool workers) or handed the pool
    // later; release: see the acquire load above.
    membarrier_ready.store(true, release);
#endif
}

void asymmetric_heavy_fence() noexcept {
#if !TINYRT_TSAN
    if (membarrier_ready.load(relaxed)) {  // set once before any worker started
        // Once registered, the light side is a compiler barrier only, so a
        // plain fence here would not pair with it: a failure cannot fall back.
        if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
            fatal("membarrier failed after registration");
        return;
    }
#endif
    fence_seq_cst();
}

}  // namespace tinyrt::detail
