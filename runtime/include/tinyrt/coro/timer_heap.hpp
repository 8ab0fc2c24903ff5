// The loop's timers: a binary min-heap of (deadline, node) entries (Williams'
// heapsort heap, CLRS ch. 6) with intrusive nodes, so that
//   insert  O(log n)  (O(1) on average for increasing deadlines, the common
//                      case of many equal sleeps),
//   pop     O(log n),
//   cancel  O(log n)  (each node knows its index in the heap),
// and no allocation per timer: the node lives inside the awaiter that is
// sleeping (a coroutine frame), the heap only stores a pointer to it.
//
// Order: earlier deadline first; equal deadlines in the order they were set
// (`seq`, a per-loop counter), so timers with the same deadline fire FIFO.
//
// The deadline is copied into the entry so that sift comparisons read the
// contiguous heap array, not the scattered frames; the node is touched only
// to record its new index (needed for O(log n) cancel) and on equal deadlines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tinyrt::detail {

struct timer_node {
    static constexpr std::uint32_t not_queued = UINT32_MAX;
    std::uint64_t seq = 0;
    std::uint32_t heap_index = not_queued;
    // Called by the loop when the deadline has passed; the node has already
    // been removed from the heap.
    void (*fire)(timer_node* self) noexcept = nullptr;

    bool queued() const noexcept { return heap_index != not_queued; }
};

class timer_heap {
public:
    bool empty() const noexcept { return entries_.empty(); }
    std::size_t size() const noexcept { return entries_.size(); }
    // Deadline (steady-clock nanoseconds) of the first timer; heap non-empty.
    std::int64_t next_deadline() const noexcept { return entries_.front().deadline; }

    void push(timer_node* node, std::int64_t deadline, std::uint64_t seq) {
        node->seq = seq;
        entries_.push_back({deadline, node});
        sift_up(entries_.size() - 1);
    }

    // Removes and returns the first timer if its deadline is <= now.
    timer_node* pop_expired(std::int64_t now) noexcept {
        if (entries_.empty() || entries_.front().deadline > now) return nullptr;
        timer_node* n = entries_.front().node;
        remove_at(0);
        return n;
    }

    // Removes a queued node (timer cancel).
    void remove(timer_node* node) noexcept {
        if (node->queued()) remove_at(node->heap_index);
    }

private:
    struct entry {
        std::int64_t deadline;
        timer_node* node;
    };

    static bool before(const entry& a, const entry& b) noexcept {
        if (a.deadline != b.deadline) return a.deadline < b.deadline;
        return a.node->seq < b.node->seq;
    }

    void place(std::size_t i, const entry& e) noexcept {
        entries_[i] = e;
        e.node->heap_index = static_cast<std::uint32_t>(i);
    }

    void sift_up(std::size_t i) noexcept {
        const entry e = entries_[i];
        while (i > 0) {
            const std::size_t parent = (i - 1) / 2;
            if (!before(e, entries_[parent])) break;
            place(i, entries_[parent]);
            i = parent;
        }
        place(i, e);
    }

    void sift_down(std::size_t i) noexcept {
        const entry e = entries_[i];
        const std::size_t n = entries_.size();
        for (;;) {
            std::size_t child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && before(entries_[child + 1], entries_[child])) ++child;
            if (!before(entries_[child], e)) break;
            place(i, entries_[child]);
            i = child;
        }
        place(i, e);
    }

    void remove_at(std::size_t i) noexcept {
        entries_[i].node->heap_index = timer_node::not_queued;
        const entry last = entries_.back();
        entries_.pop_back();
        if (i == entries_.size()) return;
        entries_[i] = last;
        // The moved entry may belong above or below slot i.
        if (i > 0 && before(last, entries_[(i - 1) / 2])) {
            sift_up(i);
        } else {
            sift_down(i);
        }
    }

    std::vector<entry> entries_;
};

}  // namespace tinyrt::detail
