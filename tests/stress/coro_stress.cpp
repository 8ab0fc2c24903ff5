// Stress for the coroutine loop (label `stress`; size scaled by the
// environment variable TINYRT_STRESS_SCALE, default 1). Invariants checked:
// every task finishes exactly once (value, error or cancellation), no timer
// fires early, every to_thread round trip comes back, and no frame is left
// alive at the end.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"

using namespace std::chrono_literals;

namespace {

long scale() {
    const char* s = std::getenv("TINYRT_STRESS_SCALE");
    const long v = s != nullptr ? std::strtol(s, nullptr, 10) : 1;
    return v > 0 ? v : 1;
}

struct tally {
    long finished = 0;
    long cancelled = 0;
    long failed = 0;
    long early = 0;
};

// A task whose behaviour is picked by `kind`: sleep (checked against the
// clock), fail, await a child, or hold a shared async_mutex across a sleep.
tinyrt::task<int> worker(int kind, int micros, tally& t, tinyrt::async_mutex& m) {
    try {
        switch (kind % 4) {
            case 0: {
                const auto start = std::chrono::steady_clock::now();
                co_await tinyrt::sleep_for(std::chrono::microseconds(micros));
                if (std::chrono::steady_clock::now() - start < std::chrono::microseconds(micros))
                    ++t.early;
                break;
            }
            case 1:
                co_await tinyrt::sleep_for(std::chrono::microseconds(micros / 2));
                ++t.failed;
                throw std::runtime_error("planned failure");
            case 2:
                try {
                    // Either outcome is fine (a loaded machine may time out);
                    // what is checked is that the wait always ends.
                    co_await tinyrt::wait_for(
                        [](int us) -> tinyrt::task<int> {
                            co_await tinyrt::sleep_for(std::chrono::microseconds(us));
                            co_return 1;
                        }(micros),
                        std::chrono::microseconds(micros * 2));
                } catch (const tinyrt::timeout_error&) {
                }
                break;
            default: {
                auto guard = co_await m.scoped_lock();
                co_await tinyrt::sleep_for(std::chrono::microseconds(micros / 4));
                break;
            }
        }
    } catch (const tinyrt::cancelled_error&) {
        ++t.cancelled;
        throw;
    }
    ++t.finished;
    co_return kind;
}

}  // namespace

TEST_CASE("coro stress: random tasks, cancellations and failures; every task accounted for once") {
    const long n = 5'000 * scale();
    tally t;
    long errors_seen = 0, cancels_seen = 0, values_seen = 0;
    const auto frames_before = tinyrt::detail::frame_live_blocks();
    auto main = [&]() -> tinyrt::task<void> {
        tinyrt::async_mutex m;
        std::mt19937 rng(12345);
        std::vector<tinyrt::task_handle<int>> hs;
        hs.reserve(static_cast<std::size_t>(n));
        for (long i = 0; i < n; ++i) {
            hs.push_back(tinyrt::create_task(
                worker(static_cast<int>(rng() % 4), static_cast<int>(rng() % 2000) + 1, t, m)));
            if (rng() % 8 == 0) co_await tinyrt::sleep_for(0ms);
            if (rng() % 5 == 0) hs[rng() % hs.size()].cancel();
        }
        for (auto& h : hs) {
            try {
                co_await h;
                ++values_seen;
            } catch (const tinyrt::cancelled_error&) {
                ++cancels_seen;
            } catch (const std::runtime_error&) {
                ++errors_seen;
            }
        }
        CHECK_FALSE(m.is_locked());
    };
    tinyrt::run(main());
    CHECK(values_seen + cancels_seen + errors_seen == n);
    CHECK(values_seen == t.finished);
    CHECK(errors_seen == t.failed);
    CHECK(cancels_seen >= t.cancelled);  // a task cancelled before it started never reaches its try
    CHECK(t.early == 0);
    CHECK(tinyrt::detail::frame_live_blocks() == frames_before);
}

TEST_CASE("coro stress: to_thread round trips from many tasks at once") {
    const long n = 2'000 * scale();
    tinyrt::pool pool{{.workers = 2}};
    auto main = [&]() -> tinyrt::task<long> {
        std::vector<tinyrt::task<long>> ts;
        for (long i = 0; i < n; ++i) {
            ts.push_back([](tinyrt::pool& p, long v) -> tinyrt::task<long> {
                long a = co_await tinyrt::to_thread(p, [v] { return v; });
                co_await tinyrt::sleep_for(0ms);
                long b = co_await tinyrt::to_thread(p, [a] { return a + 1; });
                co_return b;
            }(pool, i));
        }
        auto r = co_await tinyrt::gather(std::move(ts));
        long sum = 0;
        for (long v : r) sum += v;
        co_return sum;
    };
    CHECK(tinyrt::run(main()) == n * (n - 1) / 2 + n);
}
