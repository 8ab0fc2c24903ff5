// The deque climbs the ladder: smoke, growth, one owner with thieves, the
// one-item race. The long runs are tinyrt-stress's deque scenario
// (tests/stress/scenarios/deque.cpp).
#include "tinyrt/sched/detail/chase_lev_deque.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using tinyrt::detail::chase_lev_deque;
using steal_result = chase_lev_deque<int*>::steal_result;

TEST_CASE("deque smoke: the owner pops LIFO, a thief steals FIFO, empty is empty") {
    chase_lev_deque<int*> d{4};
    int items[3] = {0, 1, 2};
    int* out = nullptr;
    CHECK(d.pop() == nullptr);
    CHECK(d.steal(out) == steal_result::empty);
    for (int& i : items) d.push(&i);
    CHECK(d.steal(out) == steal_result::success);
    CHECK(out == &items[0]);
    CHECK(d.pop() == &items[2]);
    CHECK(d.pop() == &items[1]);
    CHECK(d.pop() == nullptr);
    CHECK_FALSE(d.looks_non_empty());
}

TEST_CASE("deque grows past its initial capacity and keeps every item") {
    chase_lev_deque<int*> d{2};
    std::vector<int> items(10000);
    for (int& i : items) d.push(&i);
    int* out = nullptr;
    REQUIRE(d.steal(out) == steal_result::success);
    CHECK(out == &items[0]);
    for (std::size_t k = items.size() - 1; k >= 1; --k) CHECK(d.pop() == &items[k]);
    CHECK(d.pop() == nullptr);
}

// Runs an owner that pushes `n` items (popping some of them back) against
// `thieves` stealing threads; every item must be taken exactly once.
static void owner_against_thieves(int n, int thieves) {
    chase_lev_deque<int*> d{8};
    std::vector<int> ids(static_cast<std::size_t>(n));
    auto taken = std::make_unique<std::atomic<int>[]>(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = i;
    std::atomic<bool> done{false};
    std::atomic<int> total{0};
    auto take = [&](int* p) {
        taken[static_cast<std::size_t>(*p)].fetch_add(1);
        total.fetch_add(1);
    };
    std::vector<std::thread> ts;
    for (int t = 0; t < thieves; ++t) {
        ts.emplace_back([&] {
            while (!done.load() || d.looks_non_empty()) {
                int* p = nullptr;
                if (d.steal(p) == steal_result::success) take(p);
            }
        });
    }
    for (int i = 0; i < n; ++i) {
        d.push(&ids[static_cast<std::size_t>(i)]);
        if (i % 3 == 0) {
            if (int* p = d.pop()) take(p);
        }
    }
    while (int* p = d.pop()) take(p);
    done.store(true);
    for (auto& t : ts) t.join();
    CHECK(total.load() == n);
    int wrong = 0;
    for (int i = 0; i < n; ++i) wrong += taken[static_cast<std::size_t>(i)].load() == 1 ? 0 : 1;
    CHECK(wrong == 0);
}

TEST_CASE("deque: one owner and one thief take every item exactly once") {
    owner_against_thieves(100000, 1);
}

TEST_CASE("deque: one owner and three thieves take every item exactly once") {
    owner_against_thieves(100000, 3);
}

TEST_CASE("deque: owner pop and thief steal race for a single item") {
    chase_lev_deque<int*> d{4};
    int item = 7;
    std::atomic<int> round{0};
    std::atomic<int> thief_ready{0};
    std::atomic<int> thief_got{0};
    const int rounds = 20000;
    std::thread thief([&] {
        for (int r = 1; r <= rounds; ++r) {
            while (round.load() != r) {
            }
            int* p = nullptr;
            steal_result s = d.steal(p);
            if (s == steal_result::success) thief_got.fetch_add(1);
            thief_ready.store(r);
        }
    });
    int owner_got = 0;
    for (int r = 1; r <= rounds; ++r) {
        d.push(&item);
        round.store(r);
        if (d.pop() != nullptr) ++owner_got;
        while (thief_ready.load() != r) {
        }
    }
    thief.join();
    CHECK(owner_got + thief_got.load() == rounds);  // never both, never neither
    CHECK(d.pop() == nullptr);
}
