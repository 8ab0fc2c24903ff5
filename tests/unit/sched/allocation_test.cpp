// "No heap allocation per spawn in the steady state": global operator new is
// replaced in this test binary by a counting version, and counting is
// switched on only around the measured region (doctest allocates too).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "support/fork_join.hpp"
#include "tinyrt/sched.hpp"

// Sanitizers bring their own operator new (a second definition would not
// link), so the count runs in the plain build only.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TINYRT_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TINYRT_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef TINYRT_COUNT_ALLOCATIONS
#define TINYRT_COUNT_ALLOCATIONS 1
#endif

#if TINYRT_COUNT_ALLOCATIONS
namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* counted_alloc(std::size_t n, std::size_t align) {
    bool on = counting.load(std::memory_order_relaxed);           // test bookkeeping only
    if (on) allocations.fetch_add(1, std::memory_order_relaxed);  // test bookkeeping only
    if (n == 0) n = 1;
    void* p = align > alignof(std::max_align_t)
                  ? std::aligned_alloc(align, (n + align - 1) / align * align)
                  : std::malloc(n);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

}  // namespace

void* operator new(std::size_t n) {
    return counted_alloc(n, 0);
}
void* operator new[](std::size_t n) {
    return counted_alloc(n, 0);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return counted_alloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return counted_alloc(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}

namespace {
// Four children per group: the first in the group's inline slot, the other
// three in blocks from the worker's cache.
long wide_tree(tinyrt::pool& p, int depth) {
    if (depth == 0) return 1;
    long leaves[4] = {0, 0, 0, 0};
    tinyrt::task_group g{p};
    for (long& l : leaves) g.spawn([&p, &l, depth] { l = wide_tree(p, depth - 1); });
    g.wait();
    return leaves[0] + leaves[1] + leaves[2] + leaves[3];
}
}  // namespace

TEST_CASE("task_group spawns in blocks and in the inline slot allocate nothing after a warm-up") {
    for (unsigned workers : {1U, 2U}) {
        CAPTURE(workers);
        tinyrt::pool pool{{.workers = workers}};
        // 4 + 16 + ... + 4^8 = 87,380 spawns, 65,535 of them in blocks.
        long measured = pool.spawn([&] {
                                wide_tree(pool, 8);  // warm-up: fills the block caches
                                wide_tree(pool, 8);
                                allocations.store(0);
                                counting.store(true);
                                long leaves = wide_tree(pool, 8);
                                counting.store(false);
                                return leaves;
                            })
                            .join();
        CHECK(measured == (1L << 16));
        CHECK(allocations.load() == 0);
    }
}

TEST_CASE("100,000 task_group spawns after a warm-up allocate nothing") {
    for (unsigned workers : {1U, 2U}) {
        CAPTURE(workers);
        tinyrt::pool pool{{.workers = workers}};
        // 2^17 - 1 = 131,071 spawns per tree.
        long measured = pool.spawn([&] {
                                test_support::tree(pool, 17);  // warm-up: fills the block caches
                                test_support::tree(pool, 17);
                                allocations.store(0);
                                counting.store(true);
                                long leaves = test_support::tree(pool, 17);
                                counting.store(false);
                                return leaves;
                            })
                            .join();
        CHECK(measured == (1L << 17));
        CHECK(allocations.load() == 0);
    }
}
#endif  // TINYRT_COUNT_ALLOCATIONS
