// Relacy model of the Chase-Lev deque (sched/detail/chase_lev_deque.hpp):
// the runtime's basic_chase_lev_deque on Relacy's atomics.
//
// Checked: every pushed item is taken exactly once (counted per item), and
// its contents, written before the push as a plain (rl::var) variable, are
// visible to whoever takes it (otherwise Relacy reports a data race).
//   last_item  owner: push a, push b, pop, pop; thief: steal, steal. Covers
//              the race for the last item (pop's CAS against steal's) and an
//              owner pop against a thief's second steal.
//   growth     initial capacity 2, owner pushes 4 (two growths) with pops in
//              between, two thieves steal twice each, reading possibly
//              retired arrays.
// --weak runs the same suites with chase_lev_orders weakened as Lê et al.'s
// algorithm would be without its seq_cst fence: pop's claim and load of top
// relaxed, steal's loads acquire. The exactly-once check must then fail.
#include "model/run_model.hpp"
#include "tinyrt/sched/detail/chase_lev_deque.hpp"

namespace {

using tinyrt::model::relacy_atomics;

// Deliberately too weak (see the file comment): nothing orders pop's store
// of bottom before its load of top against a thief's load of top and then
// of bottom, so both can take the same item.
struct weak_orders {
    // relaxed: deliberately too weak, the variant that must fail
    static constexpr std::memory_order pop_claim = std::memory_order::relaxed;
    // relaxed: deliberately too weak, the variant that must fail
    static constexpr std::memory_order pop_top = std::memory_order::relaxed;
    // acquire: deliberately too weak, the variant that must fail
    static constexpr std::memory_order steal_top = std::memory_order::acquire;
    // acquire: deliberately too weak, the variant that must fail
    static constexpr std::memory_order steal_bottom = std::memory_order::acquire;
};

constexpr int max_items = 4;

struct item {
    int id;
    rl::var<int> payload;
};

// Items, their take counts and the deque under test, for one schedule.
template <class Orders>
struct board {
    tinyrt::detail::basic_chase_lev_deque<item*, relacy_atomics, Orders> deque;
    item items[max_items];
    int taken[max_items] = {};
    int pushed = 0;

    explicit board(std::int64_t capacity) : deque(capacity) {
        for (int i = 0; i < max_items; ++i) items[i].id = i;
    }
    void push() {
        item& it = items[pushed++];
        it.payload($) = 100 + it.id;
        deque.push(&it);
    }
    void take(item* it) {
        RL_ASSERT(it->payload($) == 100 + it->id);  // the push's write is visible
        RL_ASSERT(taken[it->id] == 0);              // exactly once
        ++taken[it->id];
    }
    void pop() {
        if (item* it = deque.pop()) take(it);
    }
    void steal() {
        item* it = nullptr;
        if (deque.steal(it) == decltype(deque)::steal_result::success) take(it);
    }
    // After the threads: the owner takes what is left; then every pushed
    // item must have been taken exactly once.
    void finish() {
        while (item* it = deque.pop()) take(it);
        for (int i = 0; i < pushed; ++i) RL_ASSERT(taken[i] == 1);
    }
};

// One schedule's threads: thread 0 is the owner and runs `Case::owner`
// ('+' push, '-' pop); every other thread steals `Case::steals` times.
template <class Orders, class Case>
struct scripted : rl::test_suite<scripted<Orders, Case>, Case::threads> {
    board<Orders> b{Case::capacity};
    void thread(unsigned index) {
        if (index == 0) {
            for (const char* op = Case::owner; *op != '\0'; ++op) {
                if (*op == '+') {
                    b.push();
                } else {
                    b.pop();
                }
            }
        } else {
            for (int i = 0; i < Case::steals; ++i) b.steal();
        }
    }
    void after() { b.finish(); }
};

struct last_item {
    static constexpr std::int64_t capacity = 4;
    static constexpr unsigned threads = 2;
    static constexpr const char* owner = "++--";
    static constexpr int steals = 2;
};

struct growth {
    static constexpr std::int64_t capacity = 2;
    static constexpr unsigned threads = 3;
    static constexpr const char* owner = "+++-+-";  // the third push grows it to 4
    static constexpr int steals = 2;
};

template <class Orders>
int run_all(unsigned long long scale, const std::string& suffix) {
    using tinyrt::model::run;
    bool ok = run<scripted<Orders, last_item>>("deque last_item" + suffix, 1'000'000 * scale);
    ok = run<scripted<Orders, growth>>("deque growth" + suffix, 1'000'000 * scale) && ok;
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const auto o = tinyrt::model::parse(argc, argv, "Relacy model of the Chase-Lev deque.");
    return o.weak ? run_all<weak_orders>(o.scale, " (weakened)")
                  : run_all<tinyrt::detail::chase_lev_orders>(o.scale, "");
}
