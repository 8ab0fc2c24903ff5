// locks: spinlock, ticket_lock and mutex under --threads threads (more than
// the cores: owners get preempted), and async_mutex on a loop.
// Invariants: no two owners at once (each owner marks itself in a word it
// checks on the way out), the counter guarded by the lock is exact, and the
// ticket lock serves waiters in the order they took tickets. Each thread's
// share of the acquisitions is reported (the last round per lock).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/sync.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"
#include "unit/sync/lock_checks.hpp"

namespace stress {

namespace {

// Each thread takes the lock `rounds` times (some through try_lock), marks
// itself as the owner inside, and sometimes yields there.
template <typename Lock>
void contend(context& ctx, const char* name, rng& r) {
    Lock lock;
    std::uint64_t counter = 0;  // guarded by lock
    std::atomic<unsigned> owner{0};
    const unsigned threads = ctx.threads();
    const std::uint64_t total = ctx.scaled(r.between(500, 20'000)) * threads;
    const unsigned try_percent = static_cast<unsigned>(r.below(30));
    std::atomic<std::int64_t> budget{static_cast<std::int64_t>(total)};
    std::vector<std::uint64_t> shares(threads);
    std::vector<std::thread> ts;
    for (unsigned t = 0; t < threads; ++t) {
        ts.emplace_back([&, t, seed = r.next()] {
            context::thread_role role(ctx, std::string(name) + " contender " + std::to_string(t));
            ctx.fault_stream(t);
            context::note("taking the lock");
            rng mine(seed);
            std::uint64_t got = 0;
            while (budget.fetch_sub(1) > 0) {
                if (!(mine.chance(try_percent) && lock.try_lock())) lock.lock();
                const unsigned was = owner.exchange(t + 1);
                ++counter;
                if (mine.chance(2)) std::this_thread::yield();  // a preempted owner
                const unsigned still = owner.exchange(0);
                lock.unlock();
                if (was != 0 || still != t + 1) {
                    ctx.fail(std::string("locks: ") + name + ": two owners at once (thread " +
                             std::to_string(t) + " entered while " +
                             std::to_string(was == 0 ? still - 1 : was - 1) + " was inside)");
                    break;
                }
                ++got;
                if (got % 64 == 0) ctx.done(64);
            }
            ctx.done(got % 64);
            shares[t] = got;
        });
    }
    for (auto& t : ts) t.join();
    if (ctx.failed()) return;
    ctx.check_lazy(counter == total, [&] {
        return std::string("locks: ") + name + ": counter " + std::to_string(counter) +
               ", expected " + std::to_string(total);
    });
    const auto [lo, hi] = std::minmax_element(shares.begin(), shares.end());
    char line[160];
    std::snprintf(line, sizeof line,
                  "%s: shares of %llu acquisitions over %u threads: %.3f to %.3f", name,
                  static_cast<unsigned long long>(total), threads,
                  static_cast<double>(*lo) / static_cast<double>(total),
                  static_cast<double>(*hi) / static_cast<double>(total));
    ctx.info(name, line);
}

// The ticket lock's FIFO order: waiters queue one at a time behind a held
// lock, so the order of their tickets is known; they must enter in it.
void ticket_fifo(context& ctx, rng& r) {
    context::note("checking ticket_lock FIFO order");
    const int waiters = static_cast<int>(r.between(2, 24));
    const std::vector<int> order = sync_test::ticket_entry_order(waiters);
    ctx.check_lazy(order == sync_test::in_order(waiters), [&] {
        std::string s = "locks: ticket_lock served " + std::to_string(waiters) +
                        " waiters out of ticket order:";
        for (int v : order) {
            s += ' ';  // appended apart: g++ 12 -O3 reports a false -Wrestrict on " " + to_string
            s += std::to_string(v);
        }
        return s;
    });
    ctx.done();
}

// async_mutex: tasks on one loop hold it across awaits.
void async_contend(context& ctx, rng& r) {
    const std::uint64_t tasks = ctx.scaled(r.between(10, 400));
    const std::uint64_t rounds = r.between(1, 20);
    std::uint64_t counter = 0;
    bool inside = false;
    tinyrt::event_loop loop;
    auto watched = ctx.watch(loop, "async_mutex");
    auto body = [&](tinyrt::async_mutex& m, std::uint64_t seed) -> tinyrt::task<void> {
        rng mine(seed);
        for (std::uint64_t k = 0; k < rounds; ++k) {
            auto guard = co_await m.scoped_lock();
            ctx.check(!inside, "locks: async_mutex: two tasks inside at once");
            inside = true;
            ++counter;
            if (mine.chance(50)) co_await tinyrt::sleep_for(std::chrono::microseconds(0));
            inside = false;
            ctx.done();
        }
    };
    auto main = [&]() -> tinyrt::task<void> {
        tinyrt::async_mutex m;
        std::vector<tinyrt::task<void>> ts;
        for (std::uint64_t t = 0; t < tasks; ++t) ts.push_back(body(m, r.next()));
        co_await tinyrt::gather(std::move(ts));
        ctx.check(!m.is_locked(), "locks: async_mutex still locked after every task finished");
    };
    context::note("running async_mutex tasks on a loop");
    tinyrt::run_on(loop, main());
    ctx.check_lazy(counter == tasks * rounds, [&] {
        return "locks: async_mutex: counter " + std::to_string(counter) + ", expected " +
               std::to_string(tasks * rounds);
    });
}

}  // namespace

void run_locks(context& ctx) {
    context::thread_role main_role(ctx, "main");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        switch (ctx.round() % 4) {
            case 0:
                contend<tinyrt::spinlock>(ctx, "spinlock", r);
                break;
            case 1:
                contend<tinyrt::ticket_lock>(ctx, "ticket_lock", r);
                if (!ctx.failed()) ticket_fifo(ctx, r);
                break;
            case 2:
                contend<tinyrt::mutex>(ctx, "mutex", r);
                break;
            default:
                async_contend(ctx, r);
                break;
        }
    }
}

}  // namespace stress
