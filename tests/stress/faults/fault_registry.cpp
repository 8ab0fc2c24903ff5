// The registry behind TINYRT_FAULT (tinyrt/detail/fault.hpp), compiled only
// into tinyrt-stress-faults. Each fault has a probability per visit of its
// site (0 while it is not enabled); each thread draws from its own
// generator, seeded from the run's seed and the thread's stream
// (stress::set_fault_stream, or the order in which it first reached a site).
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>

#include "tinyrt/detail/fault.hpp"
#include "tool/fault_control.hpp"
#include "tool/random.hpp"

namespace {

struct fault_entry {
    const char* name;
    double default_rate;
};

// The fault sites in the runtime, by name (grep TINYRT_FAULT).
constexpr fault_entry table[] = {
    {"lock_skip", 0.5},      // spinlock.cpp: a contended lock() enters without the lock
    {"pool_drop", 0.01},     // pool.cpp: a task spawned from outside is lost
    {"timer_early", 0.01},   // timer_queue.hpp: a timer fires before its deadline
    {"cancel_lost", 0.05},   // task_node.cpp: a cancel is reported but never delivered
    {"worker_hang", 0.001},  // pool.cpp: a worker stops for good before it runs a task
};
constexpr std::size_t fault_count = sizeof table / sizeof table[0];

// Written before the scenario threads start (thread creation orders them);
// read with relaxed loads at the sites.
std::atomic<std::uint64_t> thresholds[fault_count];
std::atomic<bool> any_enabled{false};
std::atomic<std::uint64_t> base_seed{0};
std::atomic<std::uint64_t> next_ordinal{0};
std::atomic<std::uint64_t> fired[fault_count];

thread_local std::uint64_t t_state = 0;
thread_local bool t_seeded = false;

int index_of(const char* name) noexcept {
    for (std::size_t i = 0; i < fault_count; ++i)
        if (std::strcmp(table[i].name, name) == 0) return static_cast<int>(i);
    return -1;
}

std::uint64_t draw() noexcept {
    if (!t_seeded) {
        // relaxed: only the value matters, a unique index per thread
        const std::uint64_t ordinal = next_ordinal.fetch_add(1, std::memory_order_relaxed);
        // relaxed: set before the scenario threads start (thread creation orders it)
        t_state = stress::derive({base_seed.load(std::memory_order_relaxed), 0xFA17, ordinal});
        t_seeded = true;
    }
    t_state = stress::splitmix(t_state);
    return t_state;
}

bool ends_with(const char* s, const char* suffix) noexcept {
    const std::size_t n = std::strlen(s), m = std::strlen(suffix);
    return n >= m && std::strcmp(s + n - m, suffix) == 0;
}

}  // namespace

namespace tinyrt::detail::fault {

bool fire(const char* name) noexcept {
    // relaxed: configuration written before the scenario threads start
    if (!any_enabled.load(std::memory_order_relaxed)) return false;
    const int i = index_of(name);
    if (i < 0) return false;
    // relaxed: as above
    const std::uint64_t threshold = thresholds[i].load(std::memory_order_relaxed);
    if (threshold == 0 || draw() >= threshold) return false;
    // relaxed: a count read for the summary after the scenario threads are joined
    fired[i].fetch_add(1, std::memory_order_relaxed);
    if (ends_with(name, "_hang")) {
        for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    return true;
}

}  // namespace tinyrt::detail::fault

namespace stress {

bool is_fault(const std::string& name) {
    return index_of(name.c_str()) >= 0;
}

std::string fault_names() {
    std::string s;
    for (const fault_entry& f : table) s += std::string(s.empty() ? "" : ", ") + f.name;
    return s;
}

void enable_fault(const std::string& name, double rate) {
    const int i = index_of(name.c_str());
    if (i < 0) return;
    const double p = rate > 0 ? rate : table[i].default_rate;
    const std::uint64_t t = p >= 1 ? UINT64_MAX : static_cast<std::uint64_t>(std::ldexp(p, 64));
    // relaxed: before any scenario thread starts; thread creation publishes it
    thresholds[i].store(t == 0 ? 1 : t, std::memory_order_relaxed);
    // relaxed: as above
    any_enabled.store(true, std::memory_order_relaxed);
}

void seed_faults(std::uint64_t seed) {
    // relaxed: before any scenario thread starts; thread creation publishes it
    base_seed.store(seed, std::memory_order_relaxed);
    next_ordinal.store(0, std::memory_order_relaxed);
}

void set_fault_stream(std::uint64_t stream) {
    // relaxed: set before this thread started
    t_state = derive({base_seed.load(std::memory_order_relaxed), 0x57EA, stream});
    t_seeded = true;
}

std::string fault_counts() {
    std::string s;
    for (std::size_t i = 0; i < fault_count; ++i) {
        // relaxed: read after the scenario threads are joined
        if (thresholds[i].load(std::memory_order_relaxed) == 0) continue;
        if (!s.empty()) s += ", ";
        s += std::string(table[i].name) + "=" +
             std::to_string(fired[i].load(std::memory_order_relaxed));
    }
    return s;
}

}  // namespace stress
