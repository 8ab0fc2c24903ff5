// The chaos build's scheduling hook (see tinyrt/detail/chaos.hpp).
//
// PCT (Burckhardt et al., ASPLOS 2010) finds a bug of depth d by giving
// every thread a random priority, running the highest one, and lowering the
// running thread's priority at d - 1 random steps. Real threads cannot be run
// one at a time cheaply, so this hook approximates it: each thread draws a
// level from 0 (hardly ever delayed) to 3 (delayed often), and at random
// change points draws a new one. At each point the level sets the odds of a
// short spin, a yield of the core or a sleep of a few microseconds, so that
// a thread sometimes stalls in the middle of a protocol while the others run
// through it. All choices come from a per-thread xorshift generator seeded
// from the global seed mixed with the thread's index, the order in which
// threads first reached a point.
//
// The hook's own state uses std::atomic directly: a detail::atomic would
// call the hook from inside itself.
#include "tinyrt/detail/chaos.hpp"

#if TINYRT_CHAOS

#include <sched.h>

#include <atomic>
#include <cstdlib>
#include <ctime>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/cpu.hpp"

namespace tinyrt::detail::chaos {
namespace {

// TINYRT_CHAOS_SEED in the environment seeds a program that never calls
// seed() (the unit tests); 1 otherwise.
std::uint64_t initial_seed() noexcept {
    const char* text = std::getenv("TINYRT_CHAOS_SEED");
    if (text == nullptr || *text == '\0') return 1;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (*end != '\0' || *text == '-') fatal("TINYRT_CHAOS_SEED must be a decimal number");
    return v;
}

// Written by seed(), read at every point: relaxed, a thread that sees a new
// epoch late only keeps its old schedule a little longer.
std::atomic<std::uint64_t> global_seed{initial_seed()};
std::atomic<std::uint32_t> global_epoch{1};
std::atomic<std::uint32_t> next_thread_index{0};

std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Odds out of 65536 per point, by level: spin, yield, sleep.
constexpr std::uint32_t spin_odds[4] = {64, 512, 2048, 4096};
constexpr std::uint32_t yield_odds[4] = {4, 32, 256, 1024};
constexpr std::uint32_t sleep_odds[4] = {0, 1, 8, 32};
constexpr std::uint32_t levels = 4;
constexpr std::uint64_t mean_points_per_level = 4096;

struct thread_state {
    std::uint32_t epoch = 0;  // 0: not seeded yet
    std::uint32_t index = 0;
    std::uint32_t level = 0;
    std::uint64_t until_change = 0;
    std::uint64_t rng = 0;

    std::uint64_t next() noexcept {  // xorshift64*
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        return rng * 0x2545f4914f6cdd1dULL;
    }
    void draw_level() noexcept {
        const std::uint64_t r = next();
        level = static_cast<std::uint32_t>(r % levels);
        until_change = 1 + (r >> 8) % (2 * mean_points_per_level);
    }
};

thread_local thread_state state;

void reseed(std::uint32_t epoch) noexcept {
    // relaxed: only uniqueness matters for an index
    if (state.epoch == 0) state.index = next_thread_index.fetch_add(1, relaxed);
    state.epoch = epoch;
    // relaxed: pairs with nothing; a seed read together with a newer epoch is
    // at worst reread at the next point
    const std::uint64_t s = global_seed.load(relaxed);
    state.rng = splitmix64(s ^ splitmix64(state.index + 1)) | 1;  // xorshift needs non-zero
    state.draw_level();
}

void spin(std::uint64_t r) noexcept {
    for (std::uint64_t i = 0, n = 1 + (r & 127); i < n; ++i) cpu_relax();
}

void sleep_briefly(std::uint64_t r) noexcept {
    timespec ts{0, static_cast<long>(1'000 + (r & 7) * 1'000)};  // 1 to 8 microseconds asked
    ::nanosleep(&ts, nullptr);
}

}  // namespace

void seed(std::uint64_t s) noexcept {
    // relaxed: nothing is published with the seed (see global_seed)
    global_seed.store(s, relaxed);
    // relaxed: see global_seed
    global_epoch.fetch_add(1, relaxed);
}

void point() noexcept {
    // relaxed: see global_seed
    const std::uint32_t epoch = global_epoch.load(relaxed);
    if (state.epoch != epoch) reseed(epoch);
    if (--state.until_change == 0) state.draw_level();  // a PCT change point
    const std::uint64_t r = state.next();
    const std::uint32_t dice = static_cast<std::uint32_t>(r >> 48);
    const std::uint32_t l = state.level;
    if (dice < sleep_odds[l]) {
        sleep_briefly(r);
    } else if (dice < sleep_odds[l] + yield_odds[l]) {
        ::sched_yield();
    } else if (dice < sleep_odds[l] + yield_odds[l] + spin_odds[l]) {
        spin(r);
    }
}

}  // namespace tinyrt::detail::chaos

#endif  // TINYRT_CHAOS
