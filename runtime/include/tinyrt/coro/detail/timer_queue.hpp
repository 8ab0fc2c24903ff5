// The loop's timers: a sorted run plus a binary min-heap (CLRS ch. 6), both
// of plain 16-byte entries, with lazy cancellation through a slot table.
//
// Why two structures: almost every program sets its timers in deadline order
// (sleep_for(d) with the same d, called as time moves on), so a timer whose
// deadline is >= the last one in `run_` is appended there, O(1), and the
// earliest timer is always at the front of one of the two: popping from the
// run is O(1) and touches memory in order. Only out-of-order timers (a short
// sleep set after a long one) go to the heap, O(log n).
//
// Why slots: a heap that stores node pointers must tell each node its new
// index at every sift step (for O(log n) cancel), a cache miss per level into
// scattered coroutine frames. Here an entry is {deadline, seq << 24 | slot};
// `slots_[slot]` points to the node, and cancel just clears that pointer (a
// tombstone). Sifts move only the contiguous entries.
//
// Protocol:
//   push    take a free slot, slots_[slot] = node, node->slot = slot, append
//           {deadline, seq|slot} to the run if in order, else to the heap
//   cancel  slots_[node->slot] = null, node->slot = none, ++dead_; the
//           entry stays until it reaches the front (its slot is not reused
//           before that, so it can never fire another node)
//   pop     while the earliest entry (front of run vs top of heap) is due:
//           remove it and free its slot; fire it unless it is a tombstone
//   compact when tombstones outnumber live timers, rebuild both without
//           them: O(n), paid for by the n/2 cancels before it (amortised
//           O(1) per cancel), so a program that keeps cancelling long
//           timeouts does not grow the queue
// Order: earlier deadline first; equal deadlines in the order they were set
// (`seq`, compared as the high bits of the key), so equal timers fire FIFO.
// Limits: 2^24 (16.7 million) timers pending at once (more ends the program
// with a message); seq wraps after 2^40 timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/fault.hpp"

namespace tinyrt::detail {

struct timer_node {
    static constexpr std::uint32_t none = UINT32_MAX;
    // Called by the loop once the deadline has passed; the node is already
    // out of the queue.
    void (*fire)(timer_node* self) noexcept = nullptr;
    std::uint32_t slot = none;  // in timer_queue::slots_, or none

    bool queued() const noexcept { return slot != none; }
};

// A growable ring buffer of entries: the sorted run. (std::deque would
// allocate and free a block every few hundred timers, in the steady state.)
template <typename T>
class ring {
public:
    bool empty() const noexcept { return count_ == 0; }
    std::size_t size() const noexcept { return count_; }
    T& front() noexcept { return buf_[head_]; }
    const T& front() const noexcept { return buf_[head_]; }
    const T& back() const noexcept { return buf_[(head_ + count_ - 1) & (buf_.size() - 1)]; }
    void pop_front() noexcept {
        head_ = (head_ + 1) & (buf_.size() - 1);
        --count_;
    }
    void push_back(const T& v) {
        if (count_ == buf_.size()) grow();
        buf_[(head_ + count_) & (buf_.size() - 1)] = v;
        ++count_;
    }
    // Keeps the elements for which keep(e) is true, in order.
    template <typename Keep>
    void filter(Keep keep) noexcept {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < count_; ++i) {
            const T v = buf_[(head_ + i) & (buf_.size() - 1)];
            if (keep(v)) buf_[(head_ + kept++) & (buf_.size() - 1)] = v;
        }
        count_ = kept;
    }

private:
    void grow() {
        std::vector<T> bigger(buf_.empty() ? 64 : buf_.size() * 2);  // stays a power of two
        for (std::size_t i = 0; i < count_; ++i) bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        buf_.swap(bigger);
        head_ = 0;
    }
    std::vector<T> buf_;
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

class timer_queue {
public:
    bool empty() const noexcept { return live_ == 0; }
    std::size_t size() const noexcept { return live_; }

    void push(timer_node* node, std::int64_t deadline) {
        const std::uint32_t slot = take_slot(node);
        const entry e{deadline, (next_seq_++ << slot_bits) | slot};
        if (run_.empty() || run_.back().deadline <= deadline) {
            run_.push_back(e);
        } else {
            push_heap_entry(e);
        }
        ++live_;
    }

    void cancel(timer_node* node) noexcept {
        if (!node->queued()) return;
        slots_[node->slot] = nullptr;
        node->slot = timer_node::none;
        --live_;
        ++dead_;
        if (dead_ > 64 && dead_ > live_) compact();
    }

    // Deadline of the earliest live timer; the queue must not be empty.
    std::int64_t next_deadline() noexcept {
        drop_dead_front();
        return earliest().deadline;
    }

    // Removes and returns the earliest live timer if its deadline <= now.
    timer_node* pop_expired(std::int64_t now) noexcept {
        for (;;) {
            if (run_.empty() && heap_.empty()) return nullptr;
            const bool from_run = front_is_run();
            const entry e = from_run ? run_.front() : heap_.front();
            // test-only fault: sometimes a timer fires before its deadline
            if (e.deadline > now && !TINYRT_FAULT("timer_early")) return nullptr;
            if (from_run) {
                run_.pop_front();
            } else {
                pop_heap_front();
            }
            const std::uint32_t slot = static_cast<std::uint32_t>(e.key & slot_mask);
            timer_node* node = slots_[slot];
            free_slots_.push_back(slot);
            if (node == nullptr) {
                --dead_;
                continue;  // a cancelled timer's tombstone
            }
            node->slot = timer_node::none;
            --live_;
            return node;
        }
    }

private:
    static constexpr unsigned slot_bits = 24;
    static constexpr std::uint64_t slot_mask = (std::uint64_t{1} << slot_bits) - 1;

    struct entry {
        std::int64_t deadline;
        std::uint64_t key;  // seq << 24 | slot: ties on deadline go by seq
    };
    static bool before(const entry& a, const entry& b) noexcept {
        return a.deadline != b.deadline ? a.deadline < b.deadline : a.key < b.key;
    }
    // std::push_heap builds a max-heap: "later" as less-than gives a min-heap.
    static bool later(const entry& a, const entry& b) noexcept { return before(b, a); }

    bool front_is_run() const noexcept {
        if (heap_.empty()) return true;
        if (run_.empty()) return false;
        return before(run_.front(), heap_.front());
    }
    const entry& earliest() const noexcept { return front_is_run() ? run_.front() : heap_.front(); }

    // The heap's side, the tombstones and the slot table's growth are out
    // of line (timer_queue.cpp): the common case, timers set in deadline
    // order, touches only the run.
    void push_heap_entry(const entry& e);
    void pop_heap_front() noexcept;
    void drop_dead_front() noexcept;
    std::uint32_t new_slot();
    void compact() noexcept;

    std::uint32_t take_slot(timer_node* node) {
        std::uint32_t slot;
        if (!free_slots_.empty()) {
            slot = free_slots_.back();
            free_slots_.pop_back();
        } else {
            slot = new_slot();
        }
        slots_[slot] = node;
        node->slot = slot;
        return slot;
    }

    ring<entry> run_;          // sorted by (deadline, seq)
    std::vector<entry> heap_;  // min-heap by (deadline, seq)
    std::vector<timer_node*> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::uint64_t next_seq_ = 0;
    std::size_t live_ = 0;
    std::size_t dead_ = 0;
};

}  // namespace tinyrt::detail
