// timer_queue on its own: order by deadline, FIFO for equal deadlines, the
// sorted run and the heap together, lazy cancellation and compaction.
#include "tinyrt/coro/detail/timer_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace {

struct probe : tinyrt::detail::timer_node {
    std::int64_t deadline = 0;
    int id = 0;
};

}  // namespace

TEST_CASE("timer_queue: pops in deadline order, equal deadlines in insertion order") {
    tinyrt::detail::timer_queue q;
    std::vector<probe> ps(2000);
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        ps[static_cast<std::size_t>(i)].id = i;
        // Mostly increasing (the sorted run), with out-of-order ones (the heap)
        // and many ties.
        const std::int64_t d = (i % 5 == 0) ? static_cast<std::int64_t>(rng() % 500) : i / 4;
        ps[static_cast<std::size_t>(i)].deadline = d;
        q.push(&ps[static_cast<std::size_t>(i)], d);
    }
    CHECK(q.size() == 2000);
    std::int64_t last_deadline = -1;
    int last_id_at_deadline = -1;
    int popped = 0;
    while (tinyrt::detail::timer_node* n = q.pop_expired(1'000'000)) {
        auto* p = static_cast<probe*>(n);
        CHECK_FALSE(p->queued());
        CHECK(p->deadline >= last_deadline);
        if (p->deadline == last_deadline) CHECK(p->id > last_id_at_deadline);  // FIFO among equals
        last_deadline = p->deadline;
        last_id_at_deadline = p->id;
        ++popped;
    }
    CHECK(popped == 2000);
    CHECK(q.empty());
}

TEST_CASE("timer_queue: nothing fires before its deadline") {
    tinyrt::detail::timer_queue q;
    probe a, b;
    q.push(&a, 100);
    q.push(&b, 50);  // out of order: goes to the heap
    CHECK(q.next_deadline() == 50);
    CHECK(q.pop_expired(49) == nullptr);
    CHECK(q.pop_expired(50) == &b);
    CHECK(q.pop_expired(99) == nullptr);
    CHECK(q.pop_expired(100) == &a);
    CHECK(q.empty());
}

TEST_CASE("timer_queue: cancelled timers never fire; tombstones are compacted away") {
    tinyrt::detail::timer_queue q;
    std::vector<probe> ps(1000);
    for (int i = 0; i < 1000; ++i) {
        ps[static_cast<std::size_t>(i)].id = i;
        q.push(&ps[static_cast<std::size_t>(i)], (i % 3 == 0) ? 10'000 - i : i);
    }
    // Cancel every odd one (more than half of the rest would trigger compaction).
    for (int i = 1; i < 1000; i += 2) q.cancel(&ps[static_cast<std::size_t>(i)]);
    CHECK(q.size() == 500);
    // Cancelling twice, or a popped timer, is harmless.
    q.cancel(&ps[1]);
    std::vector<int> fired;
    while (tinyrt::detail::timer_node* n = q.pop_expired(1'000'000))
        fired.push_back(static_cast<probe*>(n)->id);
    REQUIRE(fired.size() == 500);
    for (int id : fired) CHECK(id % 2 == 0);
    CHECK(q.empty());
    // Slots are reused: the queue works the same afterwards.
    probe late;
    q.push(&late, 5);
    CHECK(q.pop_expired(5) == &late);
}

TEST_CASE("timer_queue: a stream of set-then-cancel timers does not grow it") {
    tinyrt::detail::timer_queue q;
    probe keep;
    q.push(&keep, 1'000'000);  // one long-lived timer
    probe t;
    for (int i = 0; i < 100'000; ++i) {
        q.push(&t, 500'000 + i);
        q.cancel(&t);  // like a wait_for whose task finished in time
    }
    CHECK(q.size() == 1);
    CHECK(q.next_deadline() == 1'000'000);
    CHECK(q.pop_expired(1'000'000) == &keep);
}
