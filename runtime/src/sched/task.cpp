#include "tinyrt/sched/task.hpp"

#include "tinyrt/detail/config.hpp"

namespace tinyrt::detail {

task_block* allocate_block() {
    void* p = ::operator new(sizeof(task_block), std::align_val_t{alignof(task_block)});
    return new (p) task_block{};
}

void free_block(task_block* b) noexcept {
    ::operator delete(b, std::align_val_t{alignof(task_block)});
}

block_depot::~block_depot() {
    for (block_chain& c : chains_) {
        while (c.head != nullptr) {
            task_block* next = c.head->next;
            free_block(c.head);
            c.head = next;
        }
    }
}

void block_depot::put(block_chain chain) {
    std::lock_guard lock(mutex_);
    chains_.push_back(chain);
}

block_chain block_depot::take() {
    std::lock_guard lock(mutex_);
    if (chains_.empty()) return {};
    block_chain c = chains_.back();
    chains_.pop_back();
    return c;
}

block_cache::~block_cache() {
    while (free_.head != nullptr) {
        task_block* next = free_.head->next;
        free_block(free_.head);
        free_.head = next;
    }
}

void block_cache::refill() {
    if (depot_ != nullptr) free_ = depot_->take();
}

void block_cache::spill() noexcept {
    // Hand the newest `batch` blocks to the depot in one chain. If the depot
    // cannot take them (its vector failed to grow), free them instead.
    block_chain out;
    out.head = free_.head;
    task_block* last = free_.head;
    for (std::size_t i = 1; i < batch; ++i) last = last->next;
    free_.head = last->next;
    last->next = nullptr;
    out.count = batch;
    free_.count -= batch;
    if (depot_ != nullptr) {
#if TINYRT_EXCEPTIONS
        try {
            depot_->put(out);
            return;
        } catch (...) {
        }
#else
        depot_->put(out);
        return;
#endif
    }
    while (out.head != nullptr) {
        task_block* next = out.head->next;
        free_block(out.head);
        out.head = next;
    }
}

}  // namespace tinyrt::detail
