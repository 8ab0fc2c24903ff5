// The tool's random numbers: every choice a scenario makes comes from a
// generator derived from the run's seed, so `--seed N` replays the choices.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace stress {

// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): one step, used both as the generator and to
// derive independent seeds.
constexpr std::uint64_t splitmix(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// A seed for one purpose (a scenario, a round, a thread) from its parts.
inline std::uint64_t derive(std::initializer_list<std::uint64_t> parts) noexcept {
    std::uint64_t h = 0x2545F4914F6CDD1DULL;
    for (std::uint64_t p : parts) h = splitmix(h ^ p);
    return h;
}

// FNV-1a of a name, to derive a scenario's seed from its name.
constexpr std::uint64_t hash_name(const char* s) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s != '\0'; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 0x100000001b3ULL;
    return h;
}

// A small generator (SplitMix64 as a sequence). Not thread-safe: one per thread.
class rng {
public:
    explicit rng(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept {
        state_ += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }
    // Uniform in [lo, hi].
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept {
        return lo + below(hi - lo + 1);
    }
    // True with probability percent / 100.
    bool chance(unsigned percent) noexcept { return below(100) < percent; }

private:
    std::uint64_t state_;
};

}  // namespace stress
