// The catalogue of scenarios. A scenario is a function that runs rounds
// while ctx.next_round() says so, checks its invariants as it goes
// (ctx.check / ctx.fail) and counts what it completed (ctx.done), which is
// also what the watchdog watches for progress.
#pragma once

#include <span>
#include <string_view>

namespace stress {

class context;

struct scenario {
    const char* name;
    const char* what;  // one line for --list
    void (*run)(context& ctx);
};

void run_deque(context& ctx);
void run_pool(context& ctx);
void run_join(context& ctx);
void run_wake(context& ctx);
void run_locks(context& ctx);
void run_timers(context& ctx);
void run_tasks(context& ctx);
void run_handoff(context& ctx);
void run_shutdown(context& ctx);
void run_io(context& ctx);

// Every scenario, in the order `all` runs them.
std::span<const scenario> all_scenarios() noexcept;

// The scenario of that name, or null.
const scenario* find_scenario(std::string_view name) noexcept;

}  // namespace stress
