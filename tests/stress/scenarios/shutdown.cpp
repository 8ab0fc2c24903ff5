// shutdown: pools destroyed while busy, while idle and while outside threads
// are still spawning; loops finished while detached tasks still run.
// Invariants: every task a pool accepted runs exactly once before its
// destructor returns (spawns it refused threw "shutting down"); no
// destructor hangs (the watchdog); a finished loop has cancelled and
// unwound every detached task, and no frame is left alive.
#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "scenarios/spawn_tree.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/coro/detail/frame_allocator.hpp"
#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

unsigned pool_size(context& ctx, rng& r) {
    return static_cast<unsigned>(r.between(1, ctx.workers() + 1));
}

// Trees spawned detached from this thread; the pool is destroyed at once.
void while_busy(context& ctx, rng& r) {
    spawn_tree tree(static_cast<std::uint32_t>(ctx.scaled(r.between(50, 3000))));
    std::vector<std::uint32_t> roots;
    for (std::uint64_t k = r.between(1, 30); k > 0; --k)
        roots.push_back(tree.add_root(r, static_cast<unsigned>(r.between(0, 4))));
    tree.seal();
    {
        watched_pool owned(ctx, {.workers = pool_size(ctx, r)}, "destroyed while busy");
        tinyrt::pool& p = *owned;
        ctx.fault_stream(0);
        for (std::uint32_t id : roots) p.spawn([&, id] { tree.run(p, ctx, id); });
        context::note("destroying a busy pool");
    }
    tree.check_runs(ctx, "shutdown");
}

void while_idle(context& ctx, rng& r) {
    watched_pool owned(ctx, {.workers = pool_size(ctx, r)}, "destroyed while idle");
    tinyrt::pool& p = *owned;
    ctx.fault_stream(0);
    const std::uint64_t token = r.next();
    ctx.check(p.spawn([token] { return token + 1; }).join() == token + 1,
              "shutdown: a joined task returned a wrong value");
    std::this_thread::sleep_for(std::chrono::microseconds(r.below(1000)));  // often parked by now
    context::note("destroying an idle pool");
    ctx.done();
}

// Outside threads spawn until the pool refuses; the destructor is held back
// by one task until every spawner has seen the refusal, so none of them
// touches the pool after it is gone.
void while_spawning(context& ctx, rng& r) {
    const unsigned spawners = std::min(ctx.threads(), 4U);
    constexpr std::uint32_t cap = 1 << 15;  // spawns per spawner at most
    auto runs = std::make_unique<std::atomic<std::uint8_t>[]>(spawners * cap);
    std::vector<std::uint32_t> accepted(spawners, 0);
    std::atomic<bool> release{false};
    std::atomic<unsigned> refused{0};
    auto owned = std::make_unique<tinyrt::pool>(tinyrt::pool_options{.workers = pool_size(ctx, r)});
    tinyrt::pool* p = owned.get();
    {
        // Watched until the destroyer starts: the watchdog must not read it
        // after the destructor returns.
        std::optional<context::watch_guard> watched;
        watched.emplace(ctx, p, nullptr, "destroyed while spawning");
        p->spawn([&] {
            while (!release.load()) std::this_thread::yield();
        });
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < spawners; ++t) {
            ts.emplace_back([&, t] {
                context::thread_role role(ctx, "spawner " + std::to_string(t));
                ctx.fault_stream(t);
                context::note("spawning until the pool refuses");
                try {
                    while (accepted[t] < cap) {
                        const std::uint32_t id = t * cap + accepted[t];
                        p->spawn([&runs, &ctx, id] {
                            runs[id].fetch_add(1);
                            ctx.done();
                        });
                        ++accepted[t];
                    }
                } catch (const std::logic_error&) {
                    refused.fetch_add(1);
                }
            });
        }
        const std::uint64_t delay = r.below(2000);
        std::thread destroyer([&] {
            context::thread_role role(ctx, "destroyer");
            context::note("in the pool's destructor");
            std::this_thread::sleep_for(std::chrono::microseconds(delay));
            watched.reset();
            owned.reset();
        });
        for (auto& t : ts) t.join();
        release = true;
        context::note("joining the destroyer");
        destroyer.join();
    }
    std::uint64_t total = 0, wrong = 0;
    for (unsigned t = 0; t < spawners; ++t) {
        total += accepted[t];
        for (std::uint32_t k = 0; k < accepted[t]; ++k) wrong += runs[t * cap + k].load() != 1;
        for (std::uint32_t k = accepted[t]; k < cap; ++k) wrong += runs[t * cap + k].load() != 0;
    }
    ctx.checked(total);
    ctx.counted_tasks(total);
    ctx.check_lazy(wrong == 0, [&] {
        return "shutdown: " + std::to_string(wrong) + " of " + std::to_string(total) +
               " accepted spawns did not run exactly once before the destructor returned";
    });
}

struct unwound_counter {
    std::uint64_t started = 0, unwound = 0;
};

tinyrt::task<void> lingering(unwound_counter& c, std::uint64_t micros) {
    struct on_exit {
        unwound_counter& c;
        ~on_exit() { ++c.unwound; }
    } guard{c};
    ++c.started;
    for (;;) co_await tinyrt::sleep_for(std::chrono::microseconds(micros));
}

// The loop's main returns while detached tasks sleep in a loop forever:
// run_on cancels each of them, and each unwinds.
void loop_while_busy(context& ctx, rng& r) {
    unwound_counter c;
    const std::int64_t frames_before = tinyrt::detail::frame_live_blocks();
    const std::uint64_t n = ctx.scaled(r.between(1, 500));
    {
        tinyrt::event_loop loop;
        auto watched = ctx.watch(loop, "finished while busy");
        context::note("finishing a loop with detached tasks running");
        tinyrt::run_on(loop, [&]() -> tinyrt::task<void> {
            for (std::uint64_t k = 0; k < n; ++k)
                tinyrt::create_task(lingering(c, r.below(300))).detach();
            co_await tinyrt::sleep_for(std::chrono::microseconds(r.below(500)));
        }());
    }
    ctx.done(n);
    ctx.check_lazy(c.started == n && c.unwound == n, [&] {
        return "shutdown: of " + std::to_string(n) + " detached tasks " +
               std::to_string(c.started) + " started and " + std::to_string(c.unwound) +
               " unwound when the loop finished";
    });
    ctx.check(tinyrt::detail::frame_live_blocks() == frames_before,
              "shutdown: coroutine frames left alive after the loop finished");
}

}  // namespace

void run_shutdown(context& ctx) {
    context::thread_role main_role(ctx, "main");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        switch (ctx.round() % 4) {
            case 0:
                while_busy(ctx, r);
                break;
            case 1:
                while_idle(ctx, r);
                break;
            case 2:
                while_spawning(ctx, r);
                break;
            default:
                loop_while_busy(ctx, r);
                break;
        }
    }
}

}  // namespace stress
