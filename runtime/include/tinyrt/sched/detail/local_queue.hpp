// A worker's queue: a private LIFO buffer in front of the public Chase-Lev
// deque, so that the common spawn/pop pair needs no fence and no locked
// instruction (in the spirit of Lace's split deque: van Dijk and van de Pol,
// "Lace: non-blocking split deque for work-stealing", Euro-Par 2014).
//
//   oldest                                              newest
//   [ chase_lev_deque: thieves steal at its top ][ private buffer ]
//     public, synchronised (chase_lev_deque.hpp)    owner only, plain memory
//
// Every item has a stable logical index: public items keep their deque
// index, and private item k sits at public_bottom + k. Moving the oldest
// private items to the deque's bottom keeps their indices and the order, so
// "everything at index >= mark was pushed after the mark was taken" holds
// across moves (the helping rule relies on it: DESIGN.md, rule 1).
//
// Publication protocol (when private items become stealable):
//   1. push(item, others_idle): if some worker is idle (searching, parking,
//      or asleep in the worker loop; idle_set::others_idle),
//      the owner publishes everything (private items first, oldest first,
//      then the new item) and the caller runs the notify protocol of
//      parking.hpp. Work that an idle worker could take is not private,
//      with one exception, a quiet run: when `unclaimed_limit` public items
//      in a row came back to the owner's own pop (no idle worker took one:
//      the tasks end before a thief gets to them), the next `quiet_pushes`
//      pushes stay private although others are idle, and then step 1
//      resumes. Publishing such tasks only costs the owner an atomic
//      exchange per pop and its idle peers wake-ups; they still get work
//      through steal requests (step 3).
//   2. Otherwise the item goes to the private buffer (the fast path). If the
//      buffer is full, its older half is published first.
//   3. A thief that finds a victim's deque empty sets the victim's
//      steal_request_ flag. The owner checks it on every push and pop (a
//      load of a line it normally holds) and publishes half of its private
//      items, then the caller notifies.
//   4. Before a worker blocks or parks it publishes everything
//      (publish_all), so a sleeping worker never hides work.
//
// Why this cannot lose a task or deadlock: private items are only ever taken
// by their owner, and the owner is awake while it has any (step 4): it pops
// them itself before it can park. Privacy only delays stealing, and only
// while every other worker is busy (step 1) or until the owner's next push
// or pop after a request (step 3). That delay is unbounded if the owner's
// task blocks outside tinyrt (a latch, a mutex) on a private item, so only
// task_group children, which are awaited through task_group::wait() (a
// tinyrt wait: it pops them or publishes them), may go private; pool.spawn
// tasks always go public (pool.hpp, submit_public).
#pragma once

#include <atomic>
#include <cstdint>

#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/cache.hpp"
#include "tinyrt/sched/detail/chase_lev_deque.hpp"
#include "tinyrt/sched/detail/task.hpp"

namespace tinyrt::detail {

class local_queue {
public:
    using deque = chase_lev_deque<task_header*>;
    static constexpr std::uint32_t private_capacity = 64;  // a power of two
    // Step 1's quiet run: after this many unclaimed public items in a row,
    // this many pushes stay private.
    static constexpr std::uint32_t unclaimed_limit = 8;
    static constexpr std::uint32_t quiet_pushes = 256;

    // Owner only. Returns true when the item (and maybe others) became
    // public: the caller must then run the notify protocol.
    bool push(task_header* b, bool others_idle) {
        if (others_idle && !quiet()) {
            publish(count());
            public_.push(b);
            return true;
        }
        bool published = false;
        if (count() == private_capacity) {
            publish(private_capacity / 2);
            published = true;
        }
        const std::uint32_t n = count();
        private_[(private_head_ + n) & (private_capacity - 1)] = b;
        set_count(n + 1);
        return serve_request() || published;
    }

    // Owner only, the inlined fast path: a private push when the buffer has
    // room, no thief asked for work and step 1 does not publish. False: use
    // push().
    bool try_push_private(task_header* b, bool others_idle) noexcept {
        bool requested = steal_request_.load(relaxed);  // a hint set by thieves; see steal()
        const std::uint32_t n = count();
        if (n == private_capacity || requested) return false;
        if (others_idle && !quiet()) return false;
        private_[(private_head_ + n) & (private_capacity - 1)] = b;
        set_count(n + 1);
        return true;
    }

    // Owner only, the inlined fast path: the newest private item, or null
    // (then use pop()).
    task_header* try_pop_private() noexcept {
        bool requested = steal_request_.load(relaxed);  // a hint set by thieves; see steal()
        const std::uint32_t n = count();
        if (n == 0 || requested) return nullptr;
        set_count(n - 1);
        return private_[(private_head_ + n - 1) & (private_capacity - 1)];
    }

    // Owner only: the newest item, or null. `published` is set when a steal
    // request was served (the caller must notify).
    task_header* pop(bool& published) {
        published = serve_request();
        if (const std::uint32_t n = count(); n > 0) {
            set_count(n - 1);
            return private_[(private_head_ + n - 1) & (private_capacity - 1)];
        }
        task_header* b = public_.pop();
        // Step 1's quiet run: count the public items nobody took.
        unclaimed_ = b != nullptr ? unclaimed_ + 1 : 0;
        if (unclaimed_ == unclaimed_limit) {
            unclaimed_ = 0;
            quiet_left_ = quiet_pushes;
        }
        return b;
    }

    // Owner only: the logical bottom index (one past the newest item).
    std::int64_t logical_bottom() const noexcept {
        return public_.bottom_index() + static_cast<std::int64_t>(count());
    }

    // Owner only: make every private item stealable (step 4). True if any moved.
    bool publish_all() { return publish(count()); }

    // Any thread.
    deque::steal_result steal(task_header*& out) {
        deque::steal_result r = public_.steal(out);
        if (r == deque::steal_result::empty &&
            !steal_request_.load(relaxed)) {  // read first: no needless write to the owner's line
            // a hint; the owner's next push/pop publishes (step 3)
            steal_request_.store(true, relaxed);
        }
        return r;
    }

    // Any thread: whether public items exist (the park re-check).
    bool looks_non_empty() const noexcept { return public_.looks_non_empty(); }

    // Any thread, for reports (introspect.hpp): a recent count of the
    // private items, and whether a thief's request is pending.
    std::uint32_t private_size_hint() const noexcept {
        // a snapshot; orders nothing
        return private_count_.load(relaxed);
    }
    bool steal_requested() const noexcept {
        // a snapshot; orders nothing
        return steal_request_.load(relaxed);
    }

private:
    // The private count has one writer, the owner; it is atomic only so
    // that reports may read it from other threads (a plain load and store).
    std::uint32_t count() const noexcept {
        // single writer: the owner reads its own last store
        return private_count_.load(relaxed);
    }
    void set_count(std::uint32_t n) noexcept {
        // readers on other threads only want a recent value
        private_count_.store(n, relaxed);
    }

    // Moves the n oldest private items to the deque's bottom.
    bool publish(std::uint32_t n) {
        for (std::uint32_t i = 0; i < n; ++i) {
            public_.push(private_[private_head_]);
            private_head_ = (private_head_ + 1) & (private_capacity - 1);
            set_count(count() - 1);  // per item: a failed push (no memory) leaves it consistent
        }
        return n > 0;
    }

    // Step 1's quiet run: true while it lasts, counting down one push.
    bool quiet() noexcept {
        if (quiet_left_ == 0) return false;
        --quiet_left_;
        return true;
    }

    bool serve_request() {
        if (!steal_request_.load(relaxed)) return false;  // a hint set by thieves; see steal()
        return serve_requested();
    }
    // Out of line: the publication is rare next to the check above, and each
    // inlined copy of it carries the deque's push and growth.
    [[gnu::noinline]] bool serve_requested() {
        // cleared before publishing, so a new request is not lost
        steal_request_.store(false, relaxed);
        const std::uint32_t c = count();
        std::uint32_t n = c - c / 2;  // the older half, at least one item
        return publish(c > 0 ? n : 0);
    }

    deque public_;
    task_header* private_[private_capacity] = {};
    std::uint32_t private_head_ = 0;  // index of the oldest private item
    std::uint32_t unclaimed_ = 0;     // public items in a row the owner popped back itself
    std::uint32_t quiet_left_ = 0;    // pushes left in the quiet run (step 1)
    detail::atomic<std::uint32_t> private_count_{0};
    alignas(cache_line) detail::atomic<bool> steal_request_{false};
};

}  // namespace tinyrt::detail
