// The timer queue's heap side, tombstones and slot growth: see
// tinyrt/coro/detail/timer_queue.hpp.
#include "tinyrt/coro/detail/timer_queue.hpp"

#include <algorithm>

namespace tinyrt::detail {

void timer_queue::push_heap_entry(const entry& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
}

void timer_queue::pop_heap_front() noexcept {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
}

void timer_queue::drop_dead_front() noexcept {
    while (!run_.empty() || !heap_.empty()) {
        const bool from_run = front_is_run();
        const entry e = from_run ? run_.front() : heap_.front();
        const std::uint32_t slot = static_cast<std::uint32_t>(e.key & slot_mask);
        if (slots_[slot] != nullptr) return;
        if (from_run) {
            run_.pop_front();
        } else {
            pop_heap_front();
        }
        free_slots_.push_back(slot);
        --dead_;
    }
}

std::uint32_t timer_queue::new_slot() {
    if (slots_.size() > slot_mask) fatal("more than 16.7 million timers pending at once");
    const auto slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(nullptr);
    // Freed slots go back without allocating (pop is noexcept).
    free_slots_.reserve(slots_.capacity());
    return slot;
}

// Rebuilds both structures without tombstones (the run stays sorted).
void timer_queue::compact() noexcept {
    auto dead = [this](const entry& e) {
        const std::uint32_t slot = static_cast<std::uint32_t>(e.key & slot_mask);
        if (slots_[slot] != nullptr) return false;
        free_slots_.push_back(slot);
        return true;
    };
    run_.filter([&dead](const entry& e) { return !dead(e); });
    heap_.erase(std::remove_if(heap_.begin(), heap_.end(), dead), heap_.end());
    std::make_heap(heap_.begin(), heap_.end(), later);
    dead_ = 0;
}

}  // namespace tinyrt::detail
