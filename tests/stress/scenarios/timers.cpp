// timers: many sleeps set at random deadlines, in groups that share one
// deadline, with random cancellations while they wait.
// Invariants: no sleep ends before its deadline; a sleeper cancelled while
// its deadline is still ahead (cancel() returned true) sees cancelled_error
// and its timer never fires; every sleeper nobody cancelled
// wakes (a lost timer leaves the loop with nothing to wake it,
// which it reports as a deadlock); sleepers of one deadline wake in the
// order they set their timers.
#include <chrono>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

using clk = std::chrono::steady_clock;

struct sleeper_record {
    std::uint32_t group = 0;
    clk::time_point deadline;
    bool fired = false;
    bool cancel_accepted = false;
    bool was_pending = false;  // its deadline was still ahead when cancel() returned true
};

tinyrt::task<void> sleeper(context& ctx, std::vector<sleeper_record>& recs,
                           std::vector<std::vector<std::uint32_t>>& woke, std::uint32_t i) {
    co_await tinyrt::sleep_until(recs[i].deadline);
    const clk::time_point now = clk::now();
    ctx.check_lazy(now >= recs[i].deadline, [&] {
        return "timers: sleeper " + std::to_string(i) + " woke " +
               std::to_string(
                   std::chrono::duration_cast<std::chrono::microseconds>(recs[i].deadline - now)
                       .count()) +
               " us before its deadline";
    });
    recs[i].fired = true;
    woke[recs[i].group].push_back(i);
}

}  // namespace

void run_timers(context& ctx) {
    context::thread_role main_role(ctx, "loop thread");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        const std::uint32_t groups = static_cast<std::uint32_t>(r.between(1, 40));
        std::vector<sleeper_record> recs;
        std::vector<std::vector<std::uint32_t>> woke(groups);
        // Group after group at random deadlines: out-of-order ones go to the
        // timer heap, in-order ones to its sorted run.
        const clk::time_point base = clk::now();
        for (std::uint32_t g = 0; g < groups; ++g) {
            const auto at = base + std::chrono::microseconds(r.below(4000));
            for (std::uint64_t k = ctx.scaled(r.between(1, 60)); k > 0; --k)
                recs.push_back({g, at, false, false, false});
        }
        const std::uint32_t cancel_percent = static_cast<std::uint32_t>(r.below(40));
        tinyrt::event_loop loop;
        auto watched = ctx.watch(loop, "timers");
        auto main = [&]() -> tinyrt::task<void> {
            std::vector<tinyrt::task_handle<void>> hs;
            hs.reserve(recs.size());
            for (std::uint32_t i = 0; i < recs.size(); ++i)
                hs.push_back(tinyrt::create_task(sleeper(ctx, recs, woke, i)));
            for (std::uint32_t i = 0; i < recs.size(); ++i) {
                if (!r.chance(cancel_percent)) continue;
                if (r.chance(30))
                    co_await tinyrt::sleep_for(std::chrono::microseconds(r.below(300)));
                recs[i].cancel_accepted = hs[i].cancel();
                recs[i].was_pending = recs[i].cancel_accepted && clk::now() < recs[i].deadline;
            }
            for (std::uint32_t i = 0; i < recs.size(); ++i) {
                bool cancelled = false;
                try {
                    co_await hs[i];
                } catch (const tinyrt::cancelled_error&) {
                    cancelled = true;
                }
                ctx.done();
                if (recs[i].was_pending) {
                    ctx.check_lazy(cancelled && !recs[i].fired, [&] {
                        return "timers: sleeper " + std::to_string(i) +
                               " was cancelled before its deadline (cancel() returned true) but " +
                               (recs[i].fired ? "its timer fired" : "saw no cancelled_error");
                    });
                } else if (recs[i].cancel_accepted) {
                    // Cancelled once due: its timer may already have woken it
                    // (a cancel reaches a ready task at its next await, and a
                    // sleeper has none), so either ending is right.
                    ctx.check(cancelled != recs[i].fired,
                              "timers: a sleeper both fired and was cancelled");
                } else {
                    ctx.check_lazy(!cancelled && recs[i].fired, [&] {
                        return "timers: sleeper " + std::to_string(i) +
                               " was never cancelled but did not wake normally";
                    });
                }
            }
        };
        context::note("running sleepers on the loop");
        tinyrt::run_on(loop, main());
        for (std::uint32_t g = 0; g < groups; ++g) {
            const auto& order = woke[g];
            for (std::size_t k = 1; k < order.size(); ++k) {
                if (!ctx.check_lazy(order[k - 1] < order[k], [&] {
                        return "timers: equal deadlines out of order: sleeper " +
                               std::to_string(order[k]) + " woke before " +
                               std::to_string(order[k - 1]) + ", which set its timer first";
                    }))
                    break;
            }
        }
    }
}

}  // namespace stress
