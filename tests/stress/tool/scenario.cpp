#include "tool/scenario.hpp"

#include <array>

namespace stress {

namespace {

constexpr std::array<scenario, 10> catalogue{{
    {"deque", "Chase-Lev deque: owner push/pop against thieves, growth; each item taken once",
     &run_deque},
    {"pool", "random spawn / task_group / map trees from inside and outside; each task once",
     &run_pool},
    {"join", "join handles and task groups crossed between threads, random failures", &run_join},
    {"wake", "spawns into an idle pool at random pauses; an idle pool uses no CPU", &run_wake},
    {"locks", "spinlock, ticket_lock, mutex, async_mutex: exclusion, totals, FIFO", &run_locks},
    {"timers", "timers set and cancelled at random: none early, none lost, equal ones FIFO",
     &run_timers},
    {"tasks", "gather / when_any / wait_for / create_task / cancel trees with failures",
     &run_tasks},
    {"handoff", "to_thread and post between pools and loops, both directions", &run_handoff},
    {"shutdown", "pools and loops destroyed while busy, idle and spawning", &run_shutdown},
    {"io", "loopback connections used, reset, dropped, reads timed out; bytes and fds", &run_io},
}};

}  // namespace

std::span<const scenario> all_scenarios() noexcept {
    return catalogue;
}

const scenario* find_scenario(std::string_view name) noexcept {
    for (const scenario& s : catalogue)
        if (name == s.name) return &s;
    return nullptr;
}

}  // namespace stress
