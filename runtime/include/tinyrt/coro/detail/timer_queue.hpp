// The loop's timers, intrusive: every timer_node lives in its owner (the
// awaiter, inside the coroutine frame) and holds its deadline and its links,
// so a timer set in deadline order allocates nothing and touches only itself
// and the previous last timer.
//
// Two structures:
//   run   a doubly linked list in deadline order, circular through the
//         sentinel `run_`. Almost every program sets its timers in deadline
//         order (sleep_for(d) with the same d, called as time moves on), so
//         a timer whose deadline is >= the run's last one is appended, O(1),
//         and popping the front is O(1), in the order the frames were set.
//   heap  the out-of-order rest (a short sleep set after a long one): a
//         binary min-heap (CLRS ch. 6) of plain 16-byte entries
//         {deadline, seq << 24 | slot}. `slots_[slot]` points to the node,
//         and cancel only clears that pointer (a tombstone): sifts move the
//         contiguous entries and never touch a frame.
//
// Protocol:
//   push    node->deadline = d; append to the run if d >= the run's last
//           deadline and d > heap_max_ (the latest deadline the heap has
//           held since it last had no live entry); else take a free slot and
//           push {d, seq|slot} onto the heap
//   cancel  run: unlink, O(1). heap: slots_[slot] = null, ++dead_; the entry
//           stays until it reaches the top (its slot is not reused before
//           that, so it can never fire another node); when tombstones
//           outnumber the heap's live entries the heap is rebuilt without
//           them: O(n), paid for by the n/2 cancels before it
//   pop     while the earlier of the run's front and the heap's top is due
//           (the run's on equal deadlines): take it out; fire it unless it
//           is a tombstone
// Order: earlier deadline first; equal deadlines in the order they were set.
// Inside the run by position, inside the heap by seq (the high bits of the
// key). Across the two the run wins a tie, and that is FIFO: a run timer R
// set after a heap timer H with the same deadline d would have needed
// d > heap_max_ >= d (heap_max_ is not lowered while H is in the heap), so
// R was set first.
// Limits: 2^24 (16.7 million) out-of-order timers pending at once (more
// ends the program with a message); seq wraps after 2^40 timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinyrt/coro/detail/task_node.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/fault.hpp"

namespace tinyrt::detail {

// A timer's place in the queue, embedded in its owner (a timer_entry).
struct timer_node {
    timer_node() noexcept = default;
    timer_node(const timer_node&) = delete;
    timer_node& operator=(const timer_node&) = delete;

    bool queued() const noexcept { return next != nullptr; }

    // While queued, the deadline in loop nanoseconds; before and after, the
    // owner may keep a value of its own here (sleep_for: its duration
    // before, whether it was cancelled after: sleep.hpp).
    std::int64_t deadline = 0;
    // The queue's links, a packed state told by `next`:
    //   nullptr                    not queued
    //   &timer_queue::heap_mark_   in the heap; `slot` is its entry's slot
    //   anything else              in the run; `prev` is the node before it
    //                              (the sentinel for the first)
    timer_node* next = nullptr;
    union {
        timer_node* prev = nullptr;
        std::uint32_t slot;
    };
};

// What the loop calls when a timer other than a sleep's is due, after taking
// it out of the queue. A static object of the owner's (8-aligned, so its
// address is even: see timer_entry).
struct timer_action {
    void (*fire)(timer_node* self) noexcept;
};

// A timer the loop's queue holds: its place and what its expiry does, one
// word told by its low bit (see the hand-made interfaces in task_node.hpp):
//   odd   a sleep_for's timer: the sleeping root's node | 1; the expiry
//         wakes that root, and the root's cancel hook is this entry's
//         address | 1 (task_node::cancel), so that a sleeping frame holds
//         no function pointer at all
//   even  a timer_action's address (wait_for's timeout)
// Before the timer is set, the owner may keep a value of its own there.
struct timer_entry : timer_node {
    std::uintptr_t what = 0;
};

class timer_queue {
public:
    timer_queue() noexcept { run_.next = run_.prev = &run_; }
    timer_queue(const timer_queue&) = delete;
    timer_queue& operator=(const timer_queue&) = delete;

    bool empty() const noexcept { return live_ == 0; }
    std::size_t size() const noexcept { return live_; }

    void push(timer_node* node, std::int64_t deadline) {
        node->deadline = deadline;
        if ((run_.next == &run_ || run_.prev->deadline <= deadline) &&
            (heap_live_ == 0 || deadline > heap_max_)) {
            node->prev = run_.prev;
            node->next = &run_;
            run_.prev->next = node;
            run_.prev = node;
        } else {
            push_heap_node(node);
        }
        ++live_;
    }

    void cancel(timer_node* node) noexcept {
        if (!node->queued()) return;
        --live_;
        if (node->next == &heap_mark_) {
            cancel_heap_node(node);
        } else {
            node->prev->next = node->next;
            node->next->prev = node->prev;
        }
        node->next = nullptr;
    }

    // Deadline of the earliest live timer; the queue must not be empty.
    std::int64_t next_deadline() noexcept {
        drop_dead_top();
        if (heap_.empty()) return run_.next->deadline;
        if (run_.next == &run_) return heap_.front().deadline;
        const std::int64_t h = heap_.front().deadline;
        return run_.next->deadline <= h ? run_.next->deadline : h;
    }

    // Removes and returns the earliest live timer if its deadline <= now.
    timer_node* pop_expired(std::int64_t now) noexcept {
        for (;;) {
            timer_node* first = run_.next;
            const bool from_run =
                first != &run_ && (heap_.empty() || first->deadline <= heap_.front().deadline);
            if (from_run) {
                // test-only fault: sometimes a timer fires before its deadline
                if (first->deadline > now && !TINYRT_FAULT("timer_early")) return nullptr;
                run_.next = first->next;
                first->next->prev = &run_;
                first->next = nullptr;
                --live_;
                return first;
            }
            if (heap_.empty()) return nullptr;
            if (heap_.front().deadline > now && !TINYRT_FAULT("timer_early")) return nullptr;
            if (timer_node* node = pop_heap_top()) return node;
            // a cancelled timer's tombstone: look again
        }
    }

private:
    static constexpr unsigned slot_bits = 24;
    static constexpr std::uint64_t slot_mask = (std::uint64_t{1} << slot_bits) - 1;

    struct entry {
        std::int64_t deadline;
        std::uint64_t key;  // seq << 24 | slot: ties on deadline go by seq
    };

    // The heap side is out of line (timer_queue.cpp): the common case,
    // timers set in deadline order, touches only the run.
    void push_heap_node(timer_node* node);
    void cancel_heap_node(timer_node* node) noexcept;
    // Removes the heap's top and frees its slot; its node (now not queued),
    // or null for a tombstone.
    timer_node* pop_heap_top() noexcept;
    void drop_dead_top() noexcept;
    std::uint32_t new_slot();
    void compact() noexcept;

    timer_node run_;           // the run's sentinel: next = first, prev = last
    timer_node heap_mark_;     // a heap node's `next` (its address only)
    std::vector<entry> heap_;  // min-heap by (deadline, seq)
    std::vector<timer_node*> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::uint64_t next_seq_ = 0;
    std::int64_t heap_max_ = 0;  // see push; meaningful while heap_live_ > 0
    std::size_t live_ = 0;       // live timers, run and heap
    std::size_t heap_live_ = 0;  // live heap entries
    std::size_t dead_ = 0;       // heap tombstones
};

}  // namespace tinyrt::detail
