// Frames come from the recycling allocator: in the steady state, creating,
// awaiting and finishing tasks (plain awaits, create_task, sleeps) calls the
// global operator new zero times. A counting operator new for this test
// binary proves it.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#include "tinyrt/coro.hpp"

// Sanitizer runtimes define the global operator new themselves (strongly),
// so the counting replacement exists only in plain builds.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define COUNTING_NEW 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define COUNTING_NEW 0
#endif
#endif
#ifndef COUNTING_NEW
#define COUNTING_NEW 1
#endif

#if COUNTING_NEW
namespace {
std::atomic<long> global_news{0};
int* volatile probe_sink = nullptr;
}  // namespace

// Replaces the global allocation functions for this test binary; counts,
// then forwards to malloc.
void* operator new(std::size_t n) {
    global_news.fetch_add(1, std::memory_order_relaxed);  // a counter only: no ordering needed
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
#endif

using namespace std::chrono_literals;

#if COUNTING_NEW
namespace {

tinyrt::task<int> leaf(int n) {
    co_return n + 1;
}

tinyrt::task<int> middle(int n) {
    int a = co_await leaf(n);
    co_return co_await leaf(a);
}

tinyrt::task<int> sleepy(int n) {
    co_await tinyrt::sleep_for(0ms);
    co_return n;
}

// One round of everything the steady state does.
tinyrt::task<long> one_round(int n) {
    long sum = 0;
    for (int i = 0; i < n; ++i) {
        sum += co_await middle(i);
        sum += co_await tinyrt::create_task(leaf(i));
        auto h1 = tinyrt::create_task(sleepy(i));
        auto h2 = tinyrt::create_task(sleepy(i));
        sum += co_await h1;
        sum += co_await h2;
    }
    co_return sum;
}

}  // namespace

TEST_CASE("frame allocator: no global operator new in the steady state") {
    long news_during = -1;
    auto main = [&]() -> tinyrt::task<void> {
        co_await one_round(1000);  // warm-up: free lists, timer queue capacity
        const long before = global_news.load(std::memory_order_relaxed);  // a counter only
        const long sum = co_await one_round(1000);
        news_during = global_news.load(std::memory_order_relaxed) - before;  // a counter only
        CHECK(sum > 0);
    };
    tinyrt::run(main());
    CHECK(news_during == 0);
    // The counter does see allocations (so the zero above means something).
    const long before = global_news.load(std::memory_order_relaxed);  // a counter only
    probe_sink = new int(7);  // a volatile sink: the compiler may not elide this new
    CHECK(global_news.load(std::memory_order_relaxed) == before + 1);  // a counter only
    delete probe_sink;
}
#endif

TEST_CASE("frame allocator: frames of every size are recycled, nothing left alive") {
    const auto before = tinyrt::detail::frame_live_blocks();
    void* blocks[8];
    const std::size_t sizes[8] = {16, 48, 100, 256, 512, 1024, 1025, 5000};
    for (int round_no = 0; round_no < 2; ++round_no) {
        for (int i = 0; i < 8; ++i) blocks[i] = tinyrt::detail::frame_allocate(sizes[i]);
        CHECK(tinyrt::detail::frame_live_blocks() == before + 8);
        for (int i = 0; i < 8; ++i) {
            // 16-aligned when the size, rounded up to 8, is a multiple of 16
            // (100 -> 104 is not: 8 is enough for any object of that size).
            const std::size_t align = ((sizes[i] + 7) / 8 * 8) % 16 == 0 ? 16 : 8;
            CHECK(reinterpret_cast<std::uintptr_t>(blocks[i]) % align == 0);
            tinyrt::detail::frame_deallocate(blocks[i], sizes[i]);
        }
    }
    // The same block comes back for the same size class.
    void* a = tinyrt::detail::frame_allocate(97);
    tinyrt::detail::frame_deallocate(a, 97);
    void* b = tinyrt::detail::frame_allocate(104);  // same class (97..112)
    CHECK(a == b);
    tinyrt::detail::frame_deallocate(b, 104);
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("frame allocator: every block is 16-aligned, whatever its size") {
    // A coroutine frame's size need not be a multiple of its alignment (clang
    // asks 72 bytes for a frame that holds 16-aligned data), so no size may
    // get a block aligned to less than 16. On a fresh thread (its own
    // carver), sizes of every residue mod 16 carved from the same chunks,
    // through several chunks.
    bool aligned = true;
    std::int64_t left_alive = -1;
    std::thread([&] {
        const auto before = tinyrt::detail::frame_live_blocks();
        const std::size_t sizes[] = {1000, 200, 24, 72, 1008, 208, 32, 1, 17, 1023};
        std::vector<std::pair<void*, std::size_t>> blocks;
        for (int i = 0; i < 600; ++i) {
            const std::size_t n = sizes[i % 10];
            blocks.emplace_back(tinyrt::detail::frame_allocate(n), n);
        }
        for (auto [p, n] : blocks) aligned &= reinterpret_cast<std::uintptr_t>(p) % 16 == 0;
        for (auto [p, n] : blocks) tinyrt::detail::frame_deallocate(p, n);
        left_alive = tinyrt::detail::frame_live_blocks() - before;
    }).join();
    CHECK(aligned);
    CHECK(left_alive == 0);
}
