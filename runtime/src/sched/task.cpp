#include "tinyrt/sched/detail/task.hpp"

namespace tinyrt::detail {

task_block* allocate_block() {
    void* p = ::operator new (sizeof(task_block), std::align_val_t{alignof(task_block)});
    return new (p) task_block{};
}

void free_block(task_block* b) noexcept {
    ::operator delete (b, std::align_val_t{alignof(task_block)});
}

block_depot::~block_depot() {
    while (chains_ != nullptr) {
        block_chain c = take();
        while (c.head != nullptr) {
            task_block* next = c.head->next;
            free_block(c.head);
            c.head = next;
        }
    }
}

void block_depot::put(block_chain chain) noexcept {
    if (chain.head == nullptr) return;
    std::lock_guard lock(mutex_);
    new (chain.head->storage) chain_link{chains_, chain.count};
    chains_ = chain.head;
}

block_chain block_depot::take() noexcept {
    std::lock_guard lock(mutex_);
    if (chains_ == nullptr) return {};
    task_block* head = chains_;
    chain_link link = *job_in<chain_link>(head);
    chains_ = link.next_chain;
    return {head, link.count};
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
    // Hand the newest `batch` blocks to the depot in one chain (or back to
    // the heap when the cache has no depot).
    block_chain out;
    out.head = free_.head;
    task_block* last = free_.head;
    for (std::size_t i = 1; i < batch; ++i) last = last->next;
    free_.head = last->next;
    last->next = nullptr;
    out.count = batch;
    free_.count -= batch;
    if (depot_ != nullptr) {
        depot_->put(out);
        return;
    }
    while (out.head != nullptr) {
        task_block* next = out.head->next;
        free_block(out.head);
        out.head = next;
    }
}

}  // namespace tinyrt::detail
