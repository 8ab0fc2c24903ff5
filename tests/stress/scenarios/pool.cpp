// pool: random task trees (spawn + join, task_group, map; random depth and
// fan-out) started from outside the pool and run inside it.
// Invariants: every task runs exactly once (a count per task), and every
// node's result is the sum its tree says.
//
// Each round has two pools. On the first, outside threads start roots as
// detached pool.spawn tasks and as task_group children from outside; the
// pool's destructor runs them all, then the counts are checked. On the
// second, the main thread joins roots spawned from outside and maps over
// roots from outside. A task the pool loses therefore shows on the first
// pool as a count of zero (exit 1), not as a join that never returns.
// Every 16th round also runs a deep fork-join tree on one or two workers.
#include <thread>
#include <vector>

#include "scenarios/spawn_tree.hpp"
#include "support/fork_join.hpp"
#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

// Roots of the first pool: detached spawns and outside task_group children,
// from `threads` outside threads.
void detached_phase(context& ctx, rng& r) {
    const unsigned threads = ctx.threads();
    spawn_tree tree(static_cast<std::uint32_t>(ctx.scaled(r.between(200, 4000))));
    std::vector<std::vector<std::uint32_t>> roots(threads);
    std::vector<std::vector<bool>> as_group(threads);
    for (unsigned t = 0; t < threads; ++t) {
        for (std::uint64_t k = r.between(1, 24); k > 0; --k) {
            roots[t].push_back(tree.add_root(r, static_cast<unsigned>(r.between(0, 5))));
            as_group[t].push_back(r.chance(30));
        }
    }
    tree.seal();
    std::vector<std::uint64_t> results(tree.size(), 0);
    context::note("waiting for the spawners of detached roots");
    {
        watched_pool owned(ctx, {.workers = ctx.workers()}, "detached roots");
        tinyrt::pool& p = *owned;
        std::vector<std::thread> spawners;
        for (unsigned t = 0; t < threads; ++t) {
            spawners.emplace_back([&, t] {
                context::thread_role role(ctx, "spawner " + std::to_string(t));
                ctx.fault_stream(t);
                tinyrt::task_group g{p};
                for (std::size_t k = 0; k < roots[t].size(); ++k) {
                    const std::uint32_t id = roots[t][k];
                    auto body = [&, id] { results[id] = tree.run(p, ctx, id); };
                    if (as_group[t][k]) {
                        context::note("spawning a task_group child from outside");
                        g.spawn(body);
                    } else {
                        context::note("spawning a detached root");
                        p.spawn(body);
                    }
                }
                context::note("waiting for its task_group");
                g.wait();
            });
        }
        for (auto& s : spawners) s.join();
        context::note("destroying the pool (runs every task)");
    }
    if (tree.check_runs(ctx, "pool") != 0) return;
    for (unsigned t = 0; t < threads; ++t) {
        for (std::uint32_t id : roots[t]) {
            ctx.check_lazy(results[id] == tree.expected(id), [&] {
                return "pool: root " + std::to_string(id) + " gave " + std::to_string(results[id]) +
                       ", expected " + std::to_string(tree.expected(id));
            });
        }
    }
}

// Roots of the second pool: joined from outside, and mapped from outside.
void joined_phase(context& ctx, rng& r) {
    spawn_tree tree(static_cast<std::uint32_t>(ctx.scaled(r.between(100, 2000))));
    std::vector<std::uint32_t> joined, mapped;
    for (std::uint64_t k = r.between(1, 8); k > 0; --k)
        joined.push_back(tree.add_root(r, static_cast<unsigned>(r.between(0, 5))));
    for (std::uint64_t k = r.between(1, 16); k > 0; --k)
        mapped.push_back(tree.add_root(r, static_cast<unsigned>(r.between(0, 3))));
    tree.seal();
    {
        watched_pool owned(ctx, {.workers = ctx.workers()}, "joined roots");
        tinyrt::pool& p = *owned;
        ctx.fault_stream(1000);
        context::note("joining roots spawned from outside");
        std::vector<tinyrt::join_handle<std::uint64_t>> hs;
        for (std::uint32_t id : joined)
            hs.push_back(p.spawn([&, id] { return tree.run(p, ctx, id); }));
        for (std::size_t k = 0; k < hs.size(); ++k) {
            const std::uint64_t v = hs[k].join();
            ctx.check_lazy(v == tree.expected(joined[k]), [&] {
                return "pool: joined root gave " + std::to_string(v) + ", expected " +
                       std::to_string(tree.expected(joined[k]));
            });
        }
        context::note("mapping from outside");
        std::vector<std::uint64_t> got =
            p.map([&](std::uint32_t id) { return tree.run(p, ctx, id); }, mapped);
        for (std::size_t k = 0; k < mapped.size(); ++k) {
            ctx.check_lazy(got[k] == tree.expected(mapped[k]), [&] {
                return "pool: mapped root " + std::to_string(k) + " gave " +
                       std::to_string(got[k]) + ", expected " +
                       std::to_string(tree.expected(mapped[k]));
            });
        }
    }
    tree.check_runs(ctx, "pool");
}

// Deep fork-join (test_support::fib, one task_group per call) on one and
// on two workers: neither deadlocks nor overflows the stack, every spawn
// runs.
void fib_phase(context& ctx, std::uint64_t round) {
    const unsigned workers = 1 + static_cast<unsigned>(round / 16 % 2);
    const int n = ctx.scale_percent() < 100 ? 20 : 25;
    watched_pool owned(ctx, {.workers = workers}, "fork-join fib");
    tinyrt::pool& p = *owned;
    context::note("joining a deep fork-join tree");
    const int got = p.spawn([&] { return test_support::fib(p, n); }).join();
    ctx.check(got == (n == 20 ? 6765 : 75025), "pool: fork-join fib gave a wrong result");
    const tinyrt::worker_stats total = p.stats().total();
    ctx.check_lazy(total.tasks_run == total.tasks_spawned, [&] {
        return "pool: fork-join ran " + std::to_string(total.tasks_run) + " of " +
               std::to_string(total.tasks_spawned) + " spawned tasks";
    });
    ctx.done(total.tasks_run);
}

}  // namespace

void run_pool(context& ctx) {
    context::thread_role role(ctx, "main");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        detached_phase(ctx, r);
        if (ctx.failed()) return;
        joined_phase(ctx, r);
        if (ctx.round() % 16 == 0) fib_phase(ctx, ctx.round());
    }
}

}  // namespace stress
