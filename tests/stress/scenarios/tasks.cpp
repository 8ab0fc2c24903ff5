// tasks: random trees of coroutines on one loop. A node is a leaf (sleeps,
// then returns or fails), a gather, a when_any, a wait_for with a random
// timeout, or a parent that starts its children with create_task, cancels
// some of them at random and awaits each handle.
// Invariants: every value reaches its awaiter intact; an error reaching a
// parent is one a failing leaf below that child threw; a leaf cancelled
// while it sleeps ends in cancelled_error, never with its value, and a task
// nobody cancelled never ends cancelled; every frame that starts ends exactly
// once, and when the loop is done no frame is left alive.
#include <memory>
#include <vector>

#include "tinyrt/coro.hpp"
#include "tinyrt/coro/detail/frame_allocator.hpp"
#include "tool/context.hpp"
#include "tool/scenario.hpp"

namespace stress {

namespace {

struct node_error : std::exception {
    explicit node_error(std::uint32_t which) : id(which) {}
    const char* what() const noexcept override { return "planned failure"; }
    std::uint32_t id;
};

enum class kind : std::uint8_t { leaf, gather, any, timeout, spawn };

struct plan_node {
    kind how = kind::leaf;
    std::uint32_t first_child = 0, children = 0;
    std::uint32_t subtree_end = 0;  // ids of the subtree: [id, subtree_end)
    bool fails = false;             // a leaf that throws node_error
    std::uint32_t micros = 0;       // a leaf's sleep; a timeout's limit
    std::uint32_t cancel_mask = 0;  // spawn: which children it cancels
};

class plan {
public:
    plan(rng& r, std::uint32_t budget) : r_(r), budget_(budget) {}

    std::uint32_t add(unsigned depth) {
        const std::uint32_t i = static_cast<std::uint32_t>(nodes_.size());
        nodes_.emplace_back();
        std::uint32_t k = depth == 0 ? 0 : static_cast<std::uint32_t>(r_.below(5));
        if (nodes_.size() + k > budget_) k = 0;
        plan_node& n = nodes_[i];
        if (k == 0) {
            n.fails = r_.chance(12);
            n.micros = static_cast<std::uint32_t>(r_.below(4) == 0 ? 0 : r_.below(800));
        } else {
            n.how = static_cast<kind>(1 + r_.below(4));
            if (n.how == kind::timeout) k = 1;
            n.micros = static_cast<std::uint32_t>(r_.below(1500));
            for (std::uint32_t c = 0; c < k; ++c)
                if (r_.chance(25)) n.cancel_mask |= 1U << c;
        }
        std::vector<std::uint32_t> kids;
        for (std::uint32_t c = 0; c < k; ++c) kids.push_back(add(depth - 1));
        // children are not contiguous (each subtree is), so keep their ids
        nodes_[i].first_child = static_cast<std::uint32_t>(child_ids_.size());
        nodes_[i].children = k;
        child_ids_.insert(child_ids_.end(), kids.begin(), kids.end());
        nodes_[i].subtree_end = static_cast<std::uint32_t>(nodes_.size());
        return i;
    }

    const plan_node& operator[](std::uint32_t i) const { return nodes_[i]; }
    std::uint32_t child(std::uint32_t i, std::uint32_t c) const {
        return child_ids_[nodes_[i].first_child + c];
    }
    std::size_t size() const { return nodes_.size(); }
    // Whether error `e` may reach the awaiter of node i: a failing leaf below it.
    bool may_throw(std::uint32_t i, std::uint32_t e) const {
        return e >= i && e < nodes_[i].subtree_end && nodes_[e].how == kind::leaf &&
               nodes_[e].fails;
    }

private:
    rng& r_;
    std::uint32_t budget_;
    std::vector<plan_node> nodes_;
    std::vector<std::uint32_t> child_ids_;
};

std::uint64_t token(std::uint32_t i) {
    return std::uint64_t{i} * 2654435761ULL + 1;
}

struct run_state {
    context& ctx;
    const plan& p;
    std::unique_ptr<std::uint8_t[]> started, ended;
    // A sleeping leaf's deadline; 0 while it is not in its sleep.
    std::unique_ptr<std::chrono::steady_clock::time_point[]> sleeping_until;
};

// Counts the end of a frame (value, error or cancellation) when it is destroyed.
struct lifetime {
    run_state& s;
    std::uint32_t id;
    lifetime(run_state& st, std::uint32_t i) : s(st), id(i) { ++s.started[i]; }
    ~lifetime() {
        ++s.ended[id];
        s.ctx.done();
    }
    lifetime(const lifetime&) = delete;
    lifetime& operator=(const lifetime&) = delete;
};

tinyrt::task<std::uint64_t> exec(run_state& s, std::uint32_t i);

// Awaits the children of a spawn node (or the roots) through handles,
// cancelling the ones in cancel_mask; checks each outcome.
tinyrt::task<void> await_handles(run_state& s, std::uint32_t parent,
                                 std::vector<std::uint32_t> kids, std::uint32_t cancel_mask) {
    std::vector<tinyrt::task_handle<std::uint64_t>> hs;
    for (std::uint32_t c : kids) hs.push_back(tinyrt::create_task(exec(s, c)));
    // A cancel reaches a task at its next await; a task already woken for
    // its last one may still return its value. So the cancel must win only
    // where the task is certainly parked: a leaf whose deadline is ahead
    // (no timer fires early).
    std::vector<bool> accepted(kids.size(), false), must_win(kids.size(), false);
    for (std::size_t k = 0; k < kids.size(); ++k) {
        if ((cancel_mask >> k & 1U) == 0) continue;
        if (k % 2 == 1) co_await tinyrt::sleep_for(std::chrono::microseconds(k * 50));
        accepted[k] = hs[k].cancel();
        const auto until = s.sleeping_until[kids[k]];
        must_win[k] = accepted[k] && until != std::chrono::steady_clock::time_point{} &&
                      std::chrono::steady_clock::now() < until;
    }
    for (std::size_t k = 0; k < kids.size(); ++k) {
        const std::uint32_t c = kids[k];
        bool saw_cancel = false;
        try {
            const std::uint64_t v = co_await hs[k];
            s.ctx.check_lazy(!must_win[k], [&] {
                return "tasks: task " + std::to_string(c) +
                       " returned its value although it was cancelled while asleep (cancel lost)";
            });
            s.ctx.check(v == token(c), "tasks: a handle gave the wrong value");
        } catch (const tinyrt::cancelled_error&) {
            saw_cancel = true;
        } catch (const node_error& e) {
            s.ctx.check_lazy(s.p.may_throw(c, e.id), [&] {
                return "tasks: task " + std::to_string(c) + " failed with error " +
                       std::to_string(e.id) + ", which no leaf below it throws";
            });
        }
        if (saw_cancel && !accepted[k]) {
            // Not cancelled here: this task itself is being cancelled (its
            // cancel is forwarded to the child it awaits). That can only
            // come from above, so the roots, awaited by a task nobody
            // cancels, must never end so.
            s.ctx.check_lazy(parent != UINT32_MAX, [&] {
                return "tasks: root task " + std::to_string(c) +
                       " ended cancelled, but nobody cancelled it";
            });
            // Cancel the rest too and take the outcomes of those already
            // done, so that none is left to fail unobserved.
            for (auto& h : hs) h.cancel();
            for (std::size_t j = k + 1; j < hs.size(); ++j) {
                if (!hs[j].done()) continue;
                try {
                    co_await hs[j];
                } catch (...) {
                }
            }
            throw tinyrt::cancelled_error{};
        }
    }
}

tinyrt::task<std::uint64_t> exec(run_state& s, std::uint32_t i) {
    lifetime alive(s, i);
    const plan_node& n = s.p[i];
    std::vector<std::uint32_t> kids;
    for (std::uint32_t c = 0; c < n.children; ++c) kids.push_back(s.p.child(i, c));
    auto children = [&] {
        std::vector<tinyrt::task<std::uint64_t>> ts;
        for (std::uint32_t c : kids) ts.push_back(exec(s, c));
        return ts;
    };
    switch (n.how) {
        case kind::leaf: {
            const auto until =
                std::chrono::steady_clock::now() + std::chrono::microseconds(n.micros);
            s.sleeping_until[i] = until;
            co_await tinyrt::sleep_until(until);
            s.sleeping_until[i] = {};
            if (n.fails) {
                // One more await first: a cancel that came while this task
                // was already woken (a gather or when_any giving up on it)
                // ends it here, quietly, rather than in an error nobody
                // awaits any more, which the loop would report.
                co_await tinyrt::sleep_for(std::chrono::microseconds(0));
                throw node_error(i);
            }
            break;
        }
        case kind::gather: {
            const std::vector<std::uint64_t> vs = co_await tinyrt::gather(children());
            for (std::size_t k = 0; k < kids.size(); ++k)
                s.ctx.check(vs[k] == token(kids[k]), "tasks: gather gave a wrong value");
            break;
        }
        case kind::any: {
            auto [index, value] = co_await tinyrt::when_any(children());
            s.ctx.check(index < kids.size() && value == token(kids[index]),
                        "tasks: when_any gave a value that is not its winner's");
            break;
        }
        case kind::timeout:
            try {
                const std::uint64_t v = co_await tinyrt::wait_for(
                    exec(s, kids[0]), std::chrono::microseconds(n.micros));
                s.ctx.check(v == token(kids[0]), "tasks: wait_for gave a wrong value");
            } catch (const tinyrt::timeout_error&) {
                s.ctx.checked();  // a timeout is a valid outcome
            }
            break;
        case kind::spawn:
            co_await await_handles(s, i, kids, n.cancel_mask);
            break;
    }
    co_return token(i);
}

}  // namespace

void run_tasks(context& ctx) {
    context::thread_role main_role(ctx, "loop thread");
    while (ctx.next_round()) {
        rng r = ctx.round_rng();
        plan p(r, static_cast<std::uint32_t>(ctx.scaled(r.between(20, 1500))));
        std::vector<std::uint32_t> roots;
        std::uint32_t cancel_mask = 0;
        for (std::uint64_t k = r.between(1, 12); k > 0; --k) {
            if (r.chance(20)) cancel_mask |= 1U << roots.size();
            roots.push_back(p.add(static_cast<unsigned>(r.between(0, 5))));
        }
        run_state s{ctx, p, std::make_unique<std::uint8_t[]>(p.size()),
                    std::make_unique<std::uint8_t[]>(p.size()),
                    std::make_unique<std::chrono::steady_clock::time_point[]>(p.size())};
        const std::int64_t frames_before = tinyrt::detail::frame_live_blocks();
        {
            tinyrt::event_loop loop;
            auto watched = ctx.watch(loop, "tasks");
            context::note("running a task tree on the loop");
            tinyrt::run_on(loop, await_handles(s, UINT32_MAX, roots, cancel_mask));
        }
        std::uint32_t wrong = 0, first = 0;
        for (std::uint32_t i = 0; i < p.size(); ++i) {
            if ((s.started[i] > 1 || s.ended[i] != s.started[i]) && wrong++ == 0) first = i;
        }
        ctx.checked(p.size());
        ctx.counted_tasks(p.size());
        if (wrong != 0) {
            ctx.fail("tasks: " + std::to_string(wrong) + " frames did not end exactly once; task " +
                     std::to_string(first) + " started " + std::to_string(s.started[first]) +
                     " times, ended " + std::to_string(s.ended[first]));
        }
        const std::int64_t frames_after = tinyrt::detail::frame_live_blocks();
        ctx.check_lazy(frames_after == frames_before, [&] {
            return "tasks: " + std::to_string(frames_after - frames_before) +
                   " coroutine frames still alive after the loop finished";
        });
    }
}

}  // namespace stress
