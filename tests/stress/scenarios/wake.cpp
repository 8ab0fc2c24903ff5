// wake: spawns from outside into an idle pool, after random pauses that let
// every worker park. Invariants: each spawned task runs (a missed wake-up
// leaves it queued with every worker asleep: no operation completes, and
// the watchdog reports the stall), and an idle pool uses no CPU: over an
// idle interval the process's CPU time stays far below one core's share.
#include <sys/resource.h>

#include <chrono>
#include <thread>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

double process_cpu_seconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

// The idle check: a generous bound, so only a pool that spins (a worker
// that never parks) fails it, not a noisy machine.
void check_idle_cpu(context& ctx, tinyrt::pool& p) {
    context::note("measuring the CPU time of the idle pool");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the workers park
    const double interval = 0.2;
    const double before = process_cpu_seconds();
    std::this_thread::sleep_for(std::chrono::duration<double>(interval));
    const double used = process_cpu_seconds() - before;
    const double bound = interval * (TINYRT_TSAN ? 0.5 : 0.25);
    ctx.check_lazy(used < bound, [&] {
        return "wake: an idle pool of " + std::to_string(p.size()) + " workers used " +
               std::to_string(used * 1000) + " ms of CPU in " + std::to_string(interval * 1000) +
               " ms (bound " + std::to_string(bound * 1000) + " ms)";
    });
    ctx.done();
}

}  // namespace

void run_wake(context& ctx) {
    context::thread_role main_role(ctx, "main");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        watched_pool owned(ctx, {.workers = ctx.workers()}, "wake");
        tinyrt::pool& p = *owned;
        const unsigned spawners = std::min(ctx.threads(), 4U);
        const std::uint64_t spawns = r.between(4, 40);
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < spawners; ++t) {
            ts.emplace_back([&, t] {
                context::thread_role role(ctx, "spawner " + std::to_string(t));
                ctx.fault_stream(t);
                rng mine = ctx.round_rng(t + 1);
                for (std::uint64_t k = 0; k < spawns && ctx.running(); ++k) {
                    context::note("pausing");
                    // 0 to ~2 ms: often long enough for every worker to park
                    std::this_thread::sleep_for(std::chrono::microseconds(mine.below(2000)));
                    context::note("joining a task spawned into the idle pool");
                    const std::uint64_t token = mine.next();
                    const std::uint64_t got = p.spawn([token] { return token ^ 1; }).join();
                    ctx.check(got == (token ^ 1), "wake: a spawned task returned the wrong value");
                    ctx.done();
                }
            });
        }
        for (auto& t : ts) t.join();
        if (ctx.round() % 8 == 0) check_idle_cpu(ctx, p);
    }
}

}  // namespace stress
