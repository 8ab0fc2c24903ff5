// Random task trees for the pool scenarios: each node is one task, its
// children spawned with pool.spawn + join, a task_group, or pool.map. The
// tree is drawn from a generator before it runs, so a seed gives the same
// tree; every node counts its runs, so exactly-once is checked per task.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "tinyrt/sched.hpp"
#include "tool/context.hpp"
#include "tool/random.hpp"

namespace stress {

class spawn_tree {
public:
    enum class kind : std::uint8_t { leaf, spawn, group, map };
    struct node {
        std::uint32_t first_child = 0;
        std::uint32_t children = 0;
        kind how = kind::leaf;
        std::uint64_t value = 0;
        std::uint64_t expected = 0;  // value plus the children's expected results
    };

    // Roots are added one by one; a tree stops growing at `budget` nodes.
    explicit spawn_tree(std::uint32_t budget) : budget_(budget) { nodes_.reserve(budget); }

    // Adds a root of at most `depth` levels; returns its index.
    std::uint32_t add_root(rng& r, unsigned depth) {
        const std::uint32_t root = place(r);
        grow(r, root, depth);
        return root;
    }

    // Prepares the run counters; call once, after the last add_root.
    void seal() { runs_ = std::make_unique<std::atomic<std::uint8_t>[]>(nodes_.size()); }

    std::size_t size() const noexcept { return nodes_.size(); }
    std::uint64_t expected(std::uint32_t i) const noexcept { return nodes_[i].expected; }

    // Runs node i (and its subtree) on pool p; returns its result.
    std::uint64_t run(tinyrt::pool& p, context& ctx, std::uint32_t i) const {
        // relaxed: a per-task counter read after the pool is destroyed
        runs_[i].fetch_add(1, std::memory_order_relaxed);
        ctx.done();
        const node& n = nodes_[i];
        std::uint64_t sum = n.value;
        switch (n.how) {
            case kind::leaf:
                break;
            case kind::spawn: {
                std::vector<tinyrt::join_handle<std::uint64_t>> hs;
                for (std::uint32_t c = 0; c < n.children; ++c) {
                    hs.push_back(p.spawn(
                        [this, &p, &ctx, id = n.first_child + c] { return run(p, ctx, id); }));
                }
                for (auto& h : hs) sum += h.join();
                break;
            }
            case kind::group: {
                std::vector<std::uint64_t> out(n.children);
                tinyrt::task_group g{p};
                for (std::uint32_t c = 0; c < n.children; ++c) {
                    g.spawn([this, &p, &ctx, &out, c, id = n.first_child + c] {
                        out[c] = run(p, ctx, id);
                    });
                }
                g.wait();
                for (std::uint64_t v : out) sum += v;
                break;
            }
            case kind::map: {
                std::vector<std::uint32_t> ids(n.children);
                for (std::uint32_t c = 0; c < n.children; ++c) ids[c] = n.first_child + c;
                for (std::uint64_t v :
                     p.map([&](std::uint32_t id) { return run(p, ctx, id); }, ids))
                    sum += v;
                break;
            }
        }
        ctx.check_lazy(sum == n.expected, [&] {
            return "pool: task " + std::to_string(i) + " computed " + std::to_string(sum) +
                   ", expected " + std::to_string(n.expected);
        });
        return sum;
    }

    // Checks that every node ran exactly once; returns how many did not.
    std::uint64_t check_runs(context& ctx, const char* scenario) const {
        std::uint64_t wrong = 0;
        std::uint32_t first = 0;
        for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
            // relaxed: the pool was destroyed, which joined every worker
            if (runs_[i].load(std::memory_order_relaxed) != 1 && wrong++ == 0) first = i;
        }
        ctx.checked(nodes_.size());
        ctx.counted_tasks(nodes_.size());
        if (wrong != 0) {
            ctx.fail(std::string(scenario) + ": " + std::to_string(wrong) + " of " +
                     std::to_string(nodes_.size()) + " tasks did not run exactly once; task " +
                     std::to_string(first) + " ran " + std::to_string(runs_[first].load()) +
                     " times");
        }
        return wrong;
    }

private:
    std::uint32_t place(rng& r) {
        node n;
        n.value = r.below(1000);
        nodes_.push_back(n);
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    void grow(rng& r, std::uint32_t i, unsigned depth) {
        std::uint32_t k = depth == 0 ? 0 : static_cast<std::uint32_t>(r.below(5));
        if (nodes_.size() + k > budget_) k = 0;
        if (k > 0) {
            nodes_[i].how = static_cast<kind>(1 + r.below(3));
            nodes_[i].first_child = static_cast<std::uint32_t>(nodes_.size());
            nodes_[i].children = k;
            for (std::uint32_t c = 0; c < k; ++c) place(r);
            for (std::uint32_t c = 0; c < k; ++c) grow(r, nodes_[i].first_child + c, depth - 1);
        }
        std::uint64_t e = nodes_[i].value;
        for (std::uint32_t c = 0; c < k; ++c) e += nodes_[nodes_[i].first_child + c].expected;
        nodes_[i].expected = e;
    }

    std::uint32_t budget_;
    std::vector<node> nodes_;
    std::unique_ptr<std::atomic<std::uint8_t>[]> runs_;
};

}  // namespace stress
