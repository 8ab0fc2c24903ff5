#include "tinyrt/trace/clock.hpp"

namespace tinyrt::trace {

clock_sample clock_sample::now() noexcept {
    // Ticks read on both sides of steady_clock: their midpoint is the
    // ticks value closest to the moment steady_clock was read.
    const std::uint64_t before = clock_ticks();
    const auto steady = std::chrono::steady_clock::now();
    const std::uint64_t after = clock_ticks();
    return {
        before + (after - before) / 2,
        std::chrono::duration_cast<std::chrono::nanoseconds>(steady.time_since_epoch()).count()};
}

tick_converter::tick_converter(clock_sample origin, clock_sample later) noexcept
    : origin_ticks_(origin.ticks), ns_per_tick_(1.0) {
    const std::int64_t ns = later.steady_ns - origin.steady_ns;
    if (later.ticks > origin.ticks && ns > 0) {
        ns_per_tick_ = static_cast<double>(ns) / static_cast<double>(later.ticks - origin.ticks);
    }
#if !TINYRT_TRACE_TSC
    ns_per_tick_ = 1.0;  // the ticks are steady_clock nanoseconds already
#endif
}

std::uint64_t tick_converter::to_ns(std::uint64_t ticks) const noexcept {
    if (ticks <= origin_ticks_) return 0;
    return static_cast<std::uint64_t>(static_cast<double>(ticks - origin_ticks_) * ns_per_tick_);
}

}  // namespace tinyrt::trace
