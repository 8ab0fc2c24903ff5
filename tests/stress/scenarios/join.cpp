// join: join handles and task groups, created on one thread and joined on
// another (outside threads, tasks on the workers), with failures at random.
// Invariants: each task's outcome reaches exactly one joiner (a count per
// task), a value is the right value, and an error is one the task (or one
// of its task_group children) threw: wait() rethrows a child's error, and
// a group with no failing child does not throw.
#include <atomic>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

struct job_error : std::exception {
    explicit job_error(std::uint32_t which) : id(which) {}
    const char* what() const noexcept override { return "planned failure"; }
    std::uint32_t id;
};

// One job: fails itself, or runs a task_group of children some of which fail.
struct job_plan {
    bool fails_itself = false;
    std::vector<bool> child_fails;  // empty: no group
    bool any_child_fails() const {
        for (bool f : child_fails)
            if (f) return true;
        return false;
    }
    bool fails() const { return fails_itself || any_child_fails(); }
};

std::uint64_t value_of(std::uint32_t i) {
    return std::uint64_t{i} * 7 + 1;
}

// The error id a child c of job i throws.
std::uint32_t child_error(std::uint32_t i, std::uint32_t c) {
    return (i << 8) | (c + 1);
}

std::uint64_t run_job(tinyrt::pool& p, const job_plan& plan, std::uint32_t i) {
    if (plan.fails_itself) throw job_error(i << 8);
    if (!plan.child_fails.empty()) {
        tinyrt::task_group g{p};
        for (std::uint32_t c = 0; c < plan.child_fails.size(); ++c) {
            g.spawn([&plan, i, c] {
                if (plan.child_fails[c]) throw job_error(child_error(i, c));
            });
        }
        g.wait();  // rethrows one child's error
    }
    return value_of(i);
}

}  // namespace

void run_join(context& ctx) {
    context::thread_role main_role(ctx, "main");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        const std::uint32_t n = static_cast<std::uint32_t>(ctx.scaled(r.between(20, 600)));
        std::vector<job_plan> plans(n);
        std::vector<unsigned> joiner(n);  // 0..threads-1: an outside thread; threads: a worker task
        for (std::uint32_t i = 0; i < n; ++i) {
            plans[i].fails_itself = r.chance(15);
            if (r.chance(40)) {
                for (std::uint64_t c = r.between(1, 6); c > 0; --c)
                    plans[i].child_fails.push_back(r.chance(20));
            }
            joiner[i] = static_cast<unsigned>(r.below(ctx.threads() + 1));
        }
        auto values = std::make_unique<std::atomic<std::uint32_t>[]>(n);
        auto errors = std::make_unique<std::atomic<std::uint32_t>[]>(n);
        auto receive = [&](tinyrt::join_handle<std::uint64_t>& h, std::uint32_t i) {
            try {
                const std::uint64_t v = h.join();
                values[i].fetch_add(1);
                ctx.check_lazy(v == value_of(i), [&] {
                    return "join: task " + std::to_string(i) + " joined with " + std::to_string(v) +
                           ", expected " + std::to_string(value_of(i));
                });
            } catch (const job_error& e) {
                errors[i].fetch_add(1);
                const bool own = plans[i].fails_itself && e.id == (i << 8);
                const std::uint32_t c = (e.id & 0xFF) - 1;
                const bool childs = !plans[i].fails_itself && (e.id >> 8) == i &&
                                    (e.id & 0xFF) != 0 && c < plans[i].child_fails.size() &&
                                    plans[i].child_fails[c];
                ctx.check_lazy(own || childs, [&] {
                    return "join: task " + std::to_string(i) + " failed with error " +
                           std::to_string(e.id) + ", which neither it nor a child threw";
                });
            }
            ctx.done();
        };
        {
            watched_pool owned(ctx, {.workers = ctx.workers()}, "join");
            tinyrt::pool& p = *owned;
            context::note("spawning jobs from outside");
            std::vector<tinyrt::join_handle<std::uint64_t>> hs;
            hs.reserve(n);
            for (std::uint32_t i = 0; i < n; ++i)
                hs.push_back(p.spawn([&p, &plans, i] { return run_job(p, plans[i], i); }));
            // Worker joiners: a task_group from outside whose children join.
            std::vector<std::thread> outside;
            for (unsigned t = 0; t < ctx.threads(); ++t) {
                outside.emplace_back([&, t] {
                    context::thread_role role(ctx, "joiner " + std::to_string(t));
                    context::note("joining handles spawned on main");
                    for (std::uint32_t i = 0; i < n; ++i)
                        if (joiner[i] == t) receive(hs[i], i);
                });
            }
            {
                context::note("waiting for joiner tasks on the workers");
                tinyrt::task_group g{p};
                for (std::uint32_t i = 0; i < n; ++i) {
                    if (joiner[i] == ctx.threads()) g.spawn([&, i] { receive(hs[i], i); });
                }
                g.wait();
            }
            for (auto& t : outside) t.join();
            context::note("destroying the pool");
        }
        std::uint32_t wrong = 0, first = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const bool ok = plans[i].fails() ? (errors[i] == 1 && values[i] == 0)
                                             : (values[i] == 1 && errors[i] == 0);
            if (!ok && wrong++ == 0) first = i;
        }
        ctx.checked(n);
        ctx.counted_tasks(n);
        if (wrong != 0) {
            ctx.fail("join: " + std::to_string(wrong) + " of " + std::to_string(n) +
                     " outcomes did not reach their joiner exactly once; task " +
                     std::to_string(first) + " (" + (plans[first].fails() ? "fails" : "succeeds") +
                     "): " + std::to_string(values[first].load()) + " values, " +
                     std::to_string(errors[first].load()) + " errors");
        }
    }
}

}  // namespace stress
