// timer_queue on its own: order by deadline, FIFO for equal deadlines, the
// intrusive run and the heap together (ties across them included), unlinking
// from the run, lazy cancellation in the heap and its compaction.
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

TEST_CASE("timer_queue: equal deadlines stay FIFO across the run and the heap") {
    tinyrt::detail::timer_queue q;
    probe first, late, heap_one, after;
    q.push(&first, 100);     // the run
    q.push(&late, 105);      // the run's last
    q.push(&heap_one, 100);  // out of order: the heap
    q.cancel(&late);         // the run's last is 100 again
    q.push(&after, 100);     // set after heap_one: must fire after it
    CHECK(q.pop_expired(100) == &first);
    CHECK(q.pop_expired(100) == &heap_one);
    CHECK(q.pop_expired(100) == &after);
    CHECK(q.pop_expired(1'000) == nullptr);
    CHECK(q.empty());
}

TEST_CASE("timer_queue: run timers cancelled from the front, the middle and the end") {
    tinyrt::detail::timer_queue q;
    std::vector<probe> ps(6);
    for (int i = 0; i < 6; ++i) {
        ps[static_cast<std::size_t>(i)].id = i;
        q.push(&ps[static_cast<std::size_t>(i)], 10 * i);
    }
    q.cancel(&ps[0]);
    q.cancel(&ps[3]);
    q.cancel(&ps[5]);
    CHECK_FALSE(ps[3].queued());
    CHECK(q.size() == 3);
    CHECK(q.next_deadline() == 10);
    std::vector<int> fired;
    while (tinyrt::detail::timer_node* n = q.pop_expired(1'000))
        fired.push_back(static_cast<probe*>(n)->id);
    CHECK(fired == std::vector<int>{1, 2, 4});
    CHECK(q.empty());
}
