// The memory table of the footprint report: heap bytes that tinyrt's
// objects hold, measured with glibc's mallinfo2() (bytes in use in every
// malloc arena, operator new included) as the difference to a baseline
// taken just before. Thread stacks are not heap (the system maps them,
// 8 MiB reserved each by default, filled only as deep as they are used) and
// are not counted. Every wait is on a condition, never a sleep.
//
// Prints Markdown rows: | what | bytes |. Exits non-zero if a measurement
// could not be taken (a pool that never went idle is caught by the CTest
// time-out).
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <latch>
#include <thread>
#include <tinyrt/tinyrt.hpp>
#include <vector>

namespace {

long heap_in_use() {
    return static_cast<long>(mallinfo2().uordblks);
}

void wait_until_parked(const tinyrt::pool& p) {
    for (;;) {
        std::uint64_t asleep = 0;
        for (const auto& w : p.stats().workers) asleep += w.parks - w.wakeups;
        if (asleep == p.size()) return;
        std::this_thread::yield();
    }
}

void row(const char* what, long bytes) {
    std::printf("| %s | %ld |\n", what, bytes);
}

void idle_pool(unsigned workers) {
    const long before = heap_in_use();
    {
        tinyrt::pool pool{{.workers = workers}};
        wait_until_parked(pool);
        char what[64];
        std::snprintf(what, sizeof what, "an idle pool of %u worker%s", workers,
                      workers == 1 ? "" : "s");
        row(what, heap_in_use() - before);
    }
}

// K pool.spawn tasks queued (from main, into the injection queue) behind a
// worker that is blocked: what each queued task holds.
void per_spawn(int k) {
    tinyrt::pool pool{{.workers = 1}};
    std::latch started{1}, release{1};
    auto blocker = pool.spawn([&] {
        started.count_down();
        release.wait();
    });
    started.wait();
    std::vector<tinyrt::join_handle<int>> handles;
    handles.reserve(static_cast<std::size_t>(k));
    const long before = heap_in_use();
    for (int i = 0; i < k; ++i) handles.push_back(pool.spawn([i] { return i; }));
    const long used = heap_in_use() - before;
    release.count_down();
    blocker.join();
    for (auto& h : handles) h.join();
    row("a pool.spawn task waiting in the injection queue (per task, 4096 queued)", used / k);
}

// K task_group children spawned inside a task on a 1-worker pool, not yet
// run: what each pending child holds once the worker's 256 cached blocks
// are used up (the first 256 take no heap at all).
void per_child(int k) {
    tinyrt::pool pool{{.workers = 1}};
    long used = 0;
    pool.spawn([&] {
            tinyrt::task_group g{pool};
            const long before = heap_in_use();
            for (int i = 0; i < k; ++i) g.spawn([] {});
            used = heap_in_use() - before;
            g.wait();
        })
        .join();
    row("a pending task_group child beyond the block cache (per child, 4096 pending)", used / k);
}

tinyrt::task<void> sleeper() {
    co_await tinyrt::sleep_for(std::chrono::hours(1));
}

// K coroutines suspended in sleep_for (create_task'ed: a root each, its
// frame with its task_node and timer entry inside, its slot in the loop's
// list of roots).
tinyrt::task<long> sleepers(int k) {
    std::vector<tinyrt::task_handle<void>> hs;
    hs.reserve(static_cast<std::size_t>(k));
    const long before = heap_in_use();
    for (int i = 0; i < k; ++i) hs.push_back(tinyrt::create_task(sleeper()));
    co_await tinyrt::sleep_for(std::chrono::nanoseconds(0));  // every sleeper has started
    const long used = heap_in_use() - before;
    for (auto& h : hs) h.cancel();
    for (auto& h : hs) {
        try {
            co_await h;
        } catch (const tinyrt::cancelled_error&) {
        }
    }
    co_return used;
}

}  // namespace

int main() {
    std::printf("| heap memory, mallinfo2 difference | bytes |\n|---|---|\n");
    // Warm-up: the process-wide pieces tinyrt sets up once (the asymmetric
    // fence, the first thread's frame lists) and libstdc++'s own first-use
    // allocations are not attributed to the first object measured.
    { tinyrt::pool warm{{.workers = 1}}; }
    {
        tinyrt::event_loop warm;
        (void)tinyrt::run_on(warm, []() -> tinyrt::task<int> { co_return 0; }());
    }
    for (unsigned n : {1U, 2U, 4U}) idle_pool(n);
    {
        const long before = heap_in_use();
        tinyrt::event_loop loop;
        row("an idle event_loop (plus an epoll instance and an eventfd)", heap_in_use() - before);
    }
    row("sizeof(tinyrt::pool), wherever it lives", static_cast<long>(sizeof(tinyrt::pool)));
    row("sizeof(tinyrt::event_loop), wherever it lives",
        static_cast<long>(sizeof(tinyrt::event_loop)));
    per_spawn(4096);
    per_child(4096);
    {
        tinyrt::event_loop loop;
        const int k = 4096;
        const long used = tinyrt::run_on(loop, sleepers(k));
        row("a coroutine suspended in sleep_for, run by create_task (per coroutine, 4096 "
            "sleeping)",
            used / k);
    }
    return 0;
}
