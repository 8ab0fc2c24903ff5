// Durations past the clock's range mean "never", not "at once": sleep_for,
// sleep_until and wait_for with nanoseconds::max(), seconds::max(), a
// thousand years... The conversion itself is checked exactly, and the loop
// is checked to keep such a sleeper waiting until it is cancelled.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ratio>
#include <stdexcept>

#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;
using tinyrt::task;
using tinyrt::detail::never_ns;
using tinyrt::detail::saturating_ns;

namespace {

using years = std::chrono::duration<std::int64_t, std::ratio<31'556'952>>;

// Sleeps with `make()`'s awaiter; cancelled by the caller. Records whether
// the sleep ended on its own (it must not).
template <typename MakeSleep>
task<void> sleeper(MakeSleep make, bool& woke_early) {
    try {
        co_await make();
        woke_early = true;
    } catch (const tinyrt::cancelled_error&) {
    }
}

// True if a sleep made by `make` is still pending after other tasks ran for
// a while (several loop turns, with real time passing), then cancels it.
template <typename MakeSleep>
bool still_asleep(MakeSleep make) {
    auto main = [](MakeSleep mk) -> task<bool> {
        bool woke_early = false;
        auto h = tinyrt::create_task(sleeper(mk, woke_early));
        for (int i = 0; i < 5; ++i) co_await tinyrt::sleep_for(1ms);
        const bool pending = !h.done() && !woke_early;
        h.cancel();
        co_await h;
        co_return pending && !woke_early;
    };
    return tinyrt::run(main(make));
}

}  // namespace

TEST_CASE("deadline: saturating_ns converts exactly in range and saturates outside it") {
    CHECK(saturating_ns(5ns) == 5);
    CHECK(saturating_ns(3s) == 3'000'000'000);
    CHECK(saturating_ns(-2ms) == -2'000'000);
    CHECK(saturating_ns(std::chrono::duration<std::int64_t, std::pico>(1'500)) == 2);  // rounds up
    CHECK(saturating_ns(std::chrono::duration<std::int64_t, std::pico>(-1'500)) == -1);
    CHECK(saturating_ns(std::chrono::nanoseconds::max()) == never_ns);
    CHECK(saturating_ns(std::chrono::milliseconds::max()) == never_ns);
    CHECK(saturating_ns(std::chrono::seconds::max()) == never_ns);
    CHECK(saturating_ns(std::chrono::hours(3'000'000)) == never_ns);
    CHECK(saturating_ns(years(1'000)) == never_ns);
    CHECK(saturating_ns(std::chrono::seconds::min()) == std::numeric_limits<std::int64_t>::min());
    CHECK(saturating_ns(std::chrono::duration<double>(1.5e-9)) == 2);
    CHECK(saturating_ns(std::chrono::duration<double>(1e30)) == never_ns);
    CHECK(saturating_ns(std::chrono::duration<double>(-1e30)) ==
          std::numeric_limits<std::int64_t>::min());
    CHECK(saturating_ns(std::chrono::duration<unsigned long long>(~0ULL)) == never_ns);
    CHECK_THROWS_AS(saturating_ns(std::chrono::duration<double>(std::nan(""))),
                    std::invalid_argument);
}

TEST_CASE("deadline: deadline_after saturates at never") {
    using tinyrt::detail::deadline_after;
    CHECK(deadline_after(1'000, 5) == 1'005);
    CHECK(deadline_after(1'000, never_ns) == never_ns);
    CHECK(deadline_after(never_ns - 10, 11) == never_ns);
    CHECK(deadline_after(never_ns - 10, 10) == never_ns);
    CHECK(deadline_after(never_ns - 10, 9) == never_ns - 1);
}

TEST_CASE("sleep_for: a duration too long for the clock sleeps until cancelled") {
    CHECK(still_asleep([] { return tinyrt::sleep_for(std::chrono::nanoseconds::max()); }));
    CHECK(still_asleep([] { return tinyrt::sleep_for(std::chrono::milliseconds::max()); }));
    CHECK(still_asleep([] { return tinyrt::sleep_for(std::chrono::seconds::max()); }));
    CHECK(still_asleep([] { return tinyrt::sleep_for(years(1'000)); }));
    CHECK(still_asleep([] { return tinyrt::sleep_for(std::chrono::duration<double>(1e30)); }));
    CHECK(still_asleep(
        [] { return tinyrt::sleep_until(std::chrono::steady_clock::time_point::max()); }));
}

TEST_CASE("wait_for: a timeout too long for the clock never fires") {
    auto main = []() -> task<int> {
        auto slow = []() -> task<int> {
            co_await tinyrt::sleep_for(2ms);
            co_return 5;
        };
        int sum = 0;
        sum += co_await tinyrt::wait_for(slow(), std::chrono::nanoseconds::max());
        sum += co_await tinyrt::wait_for(slow(), std::chrono::seconds::max());
        sum += co_await tinyrt::wait_for(slow(), std::chrono::hours(3'000'000));
        co_return sum;
    };
    CHECK(tinyrt::run(main()) == 15);
}
