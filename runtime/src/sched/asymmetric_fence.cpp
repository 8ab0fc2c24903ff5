#include "tinyrt/sched/detail/asymmetric_fence.hpp"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mutex>

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
    static std::once_flag once;
    std::call_once(once, [] {
        long supported = membarrier(MEMBARRIER_CMD_QUERY);
        if (supported < 0 || (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return;
        if (membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) return;
        // read by threads created after this (pool workers) or handed the pool later
        membarrier_ready.store(true, relaxed);
    });
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
