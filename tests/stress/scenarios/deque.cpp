// deque: tinyrt::detail::chase_lev_deque on its own, the owner pushing and
// popping against thieves, from a small initial ring so that it grows.
// Invariant: every item is taken exactly once (a count per item, not a sum).
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tinyrt/sched/detail/chase_lev_deque.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

void run_deque(context& ctx) {
    using deque = tinyrt::detail::chase_lev_deque<std::uint32_t*>;
    const unsigned thieves = std::max(1U, std::min(ctx.threads() - 1, 7U));
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        const std::uint32_t n = static_cast<std::uint32_t>(ctx.scaled(r.between(1'000, 200'000)));
        const std::int64_t capacity = std::int64_t{1} << r.below(7);  // 1 .. 64: it grows
        const unsigned pop_percent = static_cast<unsigned>(r.below(80));
        const std::uint64_t burst = r.between(1, 64);
        deque d{capacity};
        std::vector<std::uint32_t> ids(n);
        for (std::uint32_t i = 0; i < n; ++i) ids[i] = i;
        auto taken = std::make_unique<std::atomic<std::uint8_t>[]>(n);
        std::atomic<bool> done{false};
        auto take = [&](std::uint32_t* p) {
            // relaxed: a per-item counter read after the threads are joined
            taken[*p].fetch_add(1, std::memory_order_relaxed);
        };
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < thieves; ++t) {
            ts.emplace_back([&, t] {
                context::thread_role role(ctx, "thief " + std::to_string(t));
                context::note("stealing");
                std::uint64_t mine = 0;
                while (!done.load() || d.looks_non_empty()) {
                    std::uint32_t* p = nullptr;
                    if (d.steal(p) == deque::steal_result::success) {
                        take(p);
                        if (++mine % 256 == 0) ctx.done(256);
                    }
                }
                ctx.done(mine % 256);
            });
        }
        {
            context::thread_role role(ctx, "owner");
            context::note("pushing and popping");
            std::uint64_t mine = 0;
            for (std::uint32_t i = 0; i < n; ++i) {
                d.push(&ids[i]);
                if (r.chance(pop_percent)) {
                    for (std::uint64_t k = r.below(burst) + 1; k > 0; --k) {
                        std::uint32_t* p = d.pop();
                        if (p == nullptr) break;
                        take(p);
                        ++mine;
                    }
                }
                if (i % 1024 == 0) {
                    ctx.done(mine);
                    mine = 0;
                }
            }
            while (std::uint32_t* p = d.pop()) {
                take(p);
                ++mine;
            }
            ctx.done(mine);
            done.store(true);
            context::note("joining the thieves");
            for (auto& t : ts) t.join();
        }
        std::uint32_t wrong = 0, first = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            // relaxed: the threads were joined, which orders every count
            if (taken[i].load(std::memory_order_relaxed) != 1 && wrong++ == 0) first = i;
        }
        ctx.checked(n);
        ctx.counted_items(n);
        if (wrong != 0) {
            ctx.fail("deque: " + std::to_string(wrong) + " of " + std::to_string(n) +
                     " items not taken exactly once; item " + std::to_string(first) + " taken " +
                     std::to_string(taken[first].load()) + " times");
        }
    }
}

}  // namespace stress
