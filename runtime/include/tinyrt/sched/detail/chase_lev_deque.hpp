// The per-worker work-stealing deque.
//
// Algorithm: Chase and Lev, "Dynamic Circular Work-Stealing Deque" (SPAA
// 2005), with the C11 memory orders of Lê, Pop, Cohen and Zappa Nardelli,
// "Correct and Efficient Work-Stealing for Weak Memory Models" (PPoPP 2013),
// figure 1. The owner pushes and pops at the bottom; thieves take from the
// top with a CAS. Only the last element is contended: owner and thief then
// race on `top_` with a CAS and exactly one wins.
//
// Deliberate deviations from Lê et al.:
// 1. Their pop() stores `bottom` relaxed, issues a seq_cst fence and loads
//    `top` relaxed; their steal() loads `top`, fences, loads `bottom`. Here the
//    four operations are seq_cst instead of fences. The argument is the same
//    (all of them lie in the single total order S, so pop's store of bottom
//    and steal's load of bottom cannot both miss each other), it is cheaper on
//    x86-64 (pop is one XCHG; a seq_cst load is a plain MOV, an MFENCE is not
//    needed), and ThreadSanitizer understands it (it does not model fences).
// 2. Growth keeps every retired array alive until the deque is destroyed.
//    A thief that read the old array pointer may still read a slot of it;
//    the old array's slots in [top, bottom) are never written again, so the
//    thief reads the same item the new array holds, and its CAS on `top_`
//    decides whether it may keep it. Arrays double, so the retired ones sum
//    to less than the live one: memory stays under 2x the peak.
// 3. Slots are relaxed atomics: a thief's read of slot t can race with the
//    owner's write of slot t + capacity after a wrap-around. That thief's CAS
//    then fails, but in C++ the racing plain read would itself be undefined
//    behaviour, so the slot must be atomic (DESIGN.md, "Worker queue").
//
// The deque is a template on the atomics policy (detail/atomics_policy.hpp)
// and on the orders of deviation 1 (chase_lev_orders), so that the Relacy
// model in tests/model runs this code, and a weakened variant of it.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/atomics_policy.hpp"
#include "tinyrt/detail/cache.hpp"

namespace tinyrt::detail {

// The orders of the four operations that deviation 1 puts in the single
// total order S: pop's claim of bottom and its load of top, steal's loads of
// top and bottom. All seq_cst; the model's weakened variant replaces them.
struct chase_lev_orders {
    static constexpr std::memory_order pop_claim = seq_cst;
    static constexpr std::memory_order pop_top = seq_cst;
    static constexpr std::memory_order steal_top = seq_cst;
    static constexpr std::memory_order steal_bottom = seq_cst;
};

template <typename T, class Atomics = std_atomics, class Orders = chase_lev_orders>
class basic_chase_lev_deque {
    static_assert(std::is_pointer_v<T>, "the deque holds task pointers");
    template <class U>
    using atomic = typename Atomics::template atomic<U>;

public:
    enum class steal_result { empty, lost_race, success };

    explicit basic_chase_lev_deque(std::int64_t initial_capacity = 256)
        : array_(new ring(initial_capacity)) {
        newest_ = array_.load(relaxed);  // owner-only bookkeeping, no concurrency yet
    }
    // Frees the current array and every retired one, newest first.
    ~basic_chase_lev_deque() {
        while (newest_ != nullptr) delete std::exchange(newest_, newest_->previous);
    }
    basic_chase_lev_deque(const basic_chase_lev_deque&) = delete;
    basic_chase_lev_deque& operator=(const basic_chase_lev_deque&) = delete;

    // Owner only.
    void push(T item) {
        std::int64_t b = bottom_.load(relaxed);  // only the owner writes bottom_
        // pairs with the seq_cst CAS in steal(): slots below t are free
        std::int64_t t = top_.load(acquire);
        ring* a = array_.load(relaxed);  // only the owner writes array_
        if (b - t > a->mask) a = grow(a, t, b);
        a->put(b, item);
        // publishes the slot; pairs with the seq_cst load of bottom_ in steal()
        bottom_.store(b + 1, release);
    }

    // Owner only. Returns nullptr when empty (or when a thief won the last item).
    T pop() {
        std::int64_t b = bottom_.load(relaxed) - 1;  // only the owner writes bottom_
        ring* a = array_.load(relaxed);              // only the owner writes array_
        // Claim slot b before looking at top: seq_cst (an XCHG) so that this
        // store and the load of top below are ordered in S against steal()'s
        // load of top and load of bottom (deviation 1 above).
        bottom_.exchange(b, Orders::pop_claim);
        std::int64_t t = top_.load(Orders::pop_top);
        if (t > b) {                        // was empty: undo the claim
            bottom_.store(b + 1, relaxed);  // owner-only value; no thief takes beyond top
            return nullptr;
        }
        T item = a->get(b);
        if (t == b) {
            // The last item: race the thieves for it on top_. On failure a
            // thief took it and nothing was read, so relaxed is enough.
            bool won = top_.compare_exchange_strong(t, t + 1, seq_cst, relaxed);  // see above
            if (!won) item = nullptr;
            bottom_.store(b + 1, relaxed);  // empty either way; thieves see it as top == bottom
        }
        return item;
    }

    // Any thread. `out` receives the item on success.
    steal_result steal(T& out) {
        std::int64_t t = top_.load(Orders::steal_top);
        std::int64_t b = bottom_.load(Orders::steal_bottom);
        if (t >= b) return steal_result::empty;
        // acquire: pairs with the release store in grow(), the copied slots are visible.
        ring* a = array_.load(acquire);
        T item = a->get(t);
        // relaxed on failure: the item is dropped, nothing read is used.
        bool won = top_.compare_exchange_strong(t, t + 1, seq_cst, relaxed);  // see above
        if (!won) return steal_result::lost_race;
        out = item;
        return steal_result::success;
    }

    // Owner only: the bottom index, so a waiting task_group can tell which
    // entries were pushed after it started (see task_group.hpp).
    std::int64_t bottom_index() const noexcept {
        return bottom_.load(relaxed);  // only the owner writes bottom_
    }

    // Any thread: whether the deque looked non-empty. Used by the park
    // protocol's re-check, hence seq_cst (see parking.hpp).
    bool looks_non_empty() const noexcept {
        std::int64_t t = top_.load(seq_cst);
        std::int64_t b = bottom_.load(seq_cst);
        return t < b;
    }

private:
    struct ring {
        explicit ring(std::int64_t capacity)
            : mask(capacity - 1), slots(static_cast<std::size_t>(capacity)) {}
        std::int64_t mask;  // capacity - 1; capacity is a power of two
        // Never resized. A vector, not a new[] array: operator new[] and its
        // error paths would be a few more imports in every program.
        std::vector<atomic<T>> slots;
        // The ring this one replaced, kept alive (deviation 2); owner-only.
        ring* previous = nullptr;

        void put(std::int64_t i, T item) noexcept {
            // published by the release store of bottom_
            slots[static_cast<std::size_t>(i & mask)].store(item, relaxed);
        }
        T get(std::int64_t i) const noexcept {
            // ordered by the acquire/seq_cst load of bottom_ or array_
            return slots[static_cast<std::size_t>(i & mask)].load(relaxed);
        }
    };

    ring* grow(ring* old, std::int64_t t, std::int64_t b) {
        auto* fresh = new ring(2 * (old->mask + 1));
        for (std::int64_t i = t; i < b; ++i) fresh->put(i, old->get(i));
        fresh->previous = newest_;  // the old ring stays alive (deviation 2)
        newest_ = fresh;
        array_.store(fresh, release);  // pairs with the acquire load in steal()
        return fresh;
    }

    alignas(cache_line) atomic<std::int64_t> top_{0};
    alignas(cache_line) atomic<std::int64_t> bottom_{0};
    alignas(cache_line) atomic<ring*> array_;
    // Owner-only: the current array, which owns the retired ones through
    // their `previous` links (a list, not a vector of them: no growth code).
    ring* newest_;
};

// The runtime's deque.
template <typename T>
using chase_lev_deque = basic_chase_lev_deque<T>;

}  // namespace tinyrt::detail
