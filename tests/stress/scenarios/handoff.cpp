// handoff: work crossing between a pool and two event loops, both ways.
// Loop A (this thread) and loop B (its own thread) send jobs to the pool
// with to_thread; each job posts to the other loop; B's tasks also post to
// A directly.
// Invariants: every to_thread result comes back to its task, right, once;
// every post runs exactly once, on its loop's thread.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

using namespace std::chrono_literals;

struct shared {
    shared(context& c, tinyrt::pool& p) : ctx(c), pool(p) {}
    context& ctx;
    tinyrt::pool& pool;
    std::uint32_t per_loop = 0;
    // post counters, one per (sender, item): [0, n) jobs of A -> B,
    // [n, 2n) jobs of B -> A, [2n, 3n) B's tasks -> A
    std::unique_ptr<std::atomic<std::uint8_t>[]> posted;
    std::unique_ptr<std::atomic<std::uint8_t>[]> returned;  // [0, n) A, [n, 2n) B
    std::atomic<std::uint32_t> arrived_a{0}, arrived_b{0};
    std::atomic<std::thread::id> thread_a, thread_b;
    std::atomic<bool> b_ready{false}, a_ready{false}, release_b{false};
    tinyrt::loop_keep_alive to_a_from_pool, to_a_from_b, to_b_from_pool;
};

std::uint64_t work(std::uint64_t x) {
    return x * 0x9E3779B97F4A7C15ULL ^ (x >> 7);
}

// One task on loop `self`: a to_thread round trip whose job posts to the other loop.
tinyrt::task<void> round_trip(shared& s, bool on_a, std::uint32_t i) {
    const std::uint32_t item = on_a ? i : s.per_loop + i;
    const tinyrt::loop_keep_alive& other = on_a ? s.to_b_from_pool : s.to_a_from_pool;
    std::atomic<std::uint32_t>& arrived = on_a ? s.arrived_b : s.arrived_a;
    std::atomic<std::thread::id>& other_thread = on_a ? s.thread_b : s.thread_a;
    const std::uint64_t v =
        co_await tinyrt::to_thread(s.pool, [&s, &other, &arrived, &other_thread, item] {
            other.post([&s, &arrived, &other_thread, item] {
                s.ctx.check(std::this_thread::get_id() == other_thread.load(),
                            "handoff: a post ran off its loop's thread");
                s.posted[item].fetch_add(1);
                arrived.fetch_add(1);
                s.ctx.done();
            });
            return work(item);
        });
    s.ctx.check(v == work(item), "handoff: to_thread returned a wrong value");
    s.returned[item].fetch_add(1);
    s.ctx.done();
}

tinyrt::task<void> wait_until_set(const std::atomic<bool>& flag) {
    while (!flag.load()) co_await tinyrt::sleep_for(50us);
}

tinyrt::task<void> wait_until_count(const std::atomic<std::uint32_t>& n, std::uint32_t want) {
    while (n.load() < want) co_await tinyrt::sleep_for(50us);
}

tinyrt::task<void> loop_b_main(shared& s, rng r) {
    s.thread_b = std::this_thread::get_id();
    s.to_b_from_pool = tinyrt::event_loop::current()->keep_alive();
    s.b_ready = true;
    co_await wait_until_set(s.a_ready);
    std::vector<tinyrt::task<void>> ts;
    for (std::uint32_t i = 0; i < s.per_loop; ++i) ts.push_back(round_trip(s, false, i));
    for (std::uint32_t i = 0; i < s.per_loop; ++i) {
        const std::uint32_t item = 2 * s.per_loop + i;
        s.to_a_from_b.post([&s, item] {
            s.posted[item].fetch_add(1);
            s.arrived_a.fetch_add(1);
            s.ctx.done();
        });
        if (r.chance(10)) co_await tinyrt::sleep_for(0us);
    }
    s.to_a_from_b.reset();  // B posts nothing more to A
    co_await tinyrt::gather(std::move(ts));
    co_await wait_until_count(s.arrived_b, s.per_loop);
    co_await wait_until_set(s.release_b);  // no job of A's is still posting to B
    s.to_b_from_pool.reset();
}

tinyrt::task<void> loop_a_main(shared& s) {
    s.thread_a = std::this_thread::get_id();
    s.to_a_from_pool = tinyrt::event_loop::current()->keep_alive();
    s.to_a_from_b = tinyrt::event_loop::current()->keep_alive();
    s.a_ready = true;
    co_await wait_until_set(s.b_ready);
    std::vector<tinyrt::task<void>> ts;
    for (std::uint32_t i = 0; i < s.per_loop; ++i) ts.push_back(round_trip(s, true, i));
    co_await tinyrt::gather(std::move(ts));
    co_await wait_until_count(s.arrived_a, 2 * s.per_loop);
    s.to_a_from_pool.reset();
}

}  // namespace

void run_handoff(context& ctx) {
    context::thread_role main_role(ctx, "loop A");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        watched_pool owned(ctx, {.workers = ctx.workers()}, "handoff");
        tinyrt::pool& p = *owned;
        shared s{ctx, p};
        s.per_loop = static_cast<std::uint32_t>(ctx.scaled(r.between(10, 800)));
        s.posted = std::make_unique<std::atomic<std::uint8_t>[]>(3 * s.per_loop);
        s.returned = std::make_unique<std::atomic<std::uint8_t>[]>(2 * s.per_loop);
        tinyrt::event_loop a, b;
        auto watched_a = ctx.watch(a, "A (main thread)");
        auto watched_b = ctx.watch(b, "B");
        std::thread tb([&, seed = r.next()] {
            context::thread_role role(ctx, "loop B");
            context::note("running loop B");
            tinyrt::run_on(b, loop_b_main(s, rng(seed)));
        });
        context::note("running loop A");
        tinyrt::run_on(a, loop_a_main(s));
        s.release_b = true;
        context::note("joining loop B's thread");
        tb.join();
        std::uint32_t wrong = 0;
        for (std::uint32_t i = 0; i < 3 * s.per_loop; ++i) wrong += s.posted[i].load() != 1;
        for (std::uint32_t i = 0; i < 2 * s.per_loop; ++i) wrong += s.returned[i].load() != 1;
        ctx.checked(5 * s.per_loop);
        ctx.counted_tasks(2 * s.per_loop);
        ctx.check_lazy(wrong == 0, [&] {
            return "handoff: " + std::to_string(wrong) + " posts or round trips did not arrive " +
                   "exactly once";
        });
    }
}

}  // namespace stress
