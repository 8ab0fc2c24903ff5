// The timer queue's heap side, tombstones and slot growth: see
// tinyrt/coro/detail/timer_queue.hpp.
#include "tinyrt/coro/detail/timer_queue.hpp"

#include <algorithm>

namespace tinyrt::detail {
namespace {

// std::push_heap builds a max-heap: "later" as less-than gives a min-heap.
template <typename Entry>
bool later(const Entry& a, const Entry& b) noexcept {
    return a.deadline != b.deadline ? a.deadline > b.deadline : a.key > b.key;
}

}  // namespace

void timer_queue::push_heap_node(timer_node* node) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = new_slot();
    }
    heap_.push_back(entry{node->deadline, (next_seq_++ << slot_bits) | slot});
    std::push_heap(heap_.begin(), heap_.end(), later<entry>);
    slots_[slot] = node;
    node->next = &heap_mark_;
    node->slot = slot;
    if (heap_live_ == 0 || node->deadline > heap_max_) heap_max_ = node->deadline;
    ++heap_live_;
}

void timer_queue::cancel_heap_node(timer_node* node) noexcept {
    slots_[node->slot] = nullptr;
    --heap_live_;
    ++dead_;
    if (dead_ > 64 && dead_ > heap_live_) compact();
}

timer_node* timer_queue::pop_heap_top() noexcept {
    const auto slot = static_cast<std::uint32_t>(heap_.front().key & slot_mask);
    std::pop_heap(heap_.begin(), heap_.end(), later<entry>);
    heap_.pop_back();
    free_slots_.push_back(slot);
    timer_node* node = slots_[slot];
    if (node == nullptr) {
        --dead_;
        return nullptr;
    }
    node->next = nullptr;
    --heap_live_;
    --live_;
    return node;
}

void timer_queue::drop_dead_top() noexcept {
    while (!heap_.empty() && slots_[heap_.front().key & slot_mask] == nullptr) pop_heap_top();
}

std::uint32_t timer_queue::new_slot() {
    if (slots_.size() > slot_mask) fatal("more than 16.7 million timers pending out of order");
    const auto slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(nullptr);
    // Freed slots go back without allocating (pop is noexcept).
    free_slots_.reserve(slots_.capacity());
    return slot;
}

// Rebuilds the heap without tombstones.
void timer_queue::compact() noexcept {
    auto dead = [this](const entry& e) {
        const auto slot = static_cast<std::uint32_t>(e.key & slot_mask);
        if (slots_[slot] != nullptr) return false;
        free_slots_.push_back(slot);
        return true;
    };
    heap_.erase(std::remove_if(heap_.begin(), heap_.end(), dead), heap_.end());
    std::make_heap(heap_.begin(), heap_.end(), later<entry>);
    dead_ = 0;
}

}  // namespace tinyrt::detail
