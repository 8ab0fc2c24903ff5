// In [17] once more, as asyncio would write it: a thousand coroutines, all
// on one thread, each running `for i: l[i] = await inc(l[i])` over the
// 20-element list. There are no threads, yet updates are lost: between
// reading l[i] and writing it back, the coroutine awaits, and every other
// coroutine runs at that await point, reads the same old value, and later
// writes it back too. An async_mutex held across the await fixes it.
// The lists print as "l = [...]", apart from the thread cells' bare lists.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/clock.hpp"
#include "common/stats.hpp"
#include "lista.hpp"
#include "tinyrt/coro.hpp"

namespace lista {

namespace {

constexpr int list_size = 20;

std::vector<int> initial_list() {
    std::vector<int> l;
    for (int i = 1; i <= list_size; ++i) l.push_back(i);  // list(range(1, 21))
    return l;
}

std::vector<int> expected_list(long updaters) {
    std::vector<int> l = initial_list();
    for (int& v : l) v += static_cast<int>(updaters);
    return l;
}

// async def inc(v): await asyncio.sleep(tick); return v + 1
tinyrt::task<int> inc(int v, std::chrono::milliseconds pause) {
    co_await tinyrt::sleep_for(pause);
    co_return v + 1;
}

// The notebook's add(), as a coroutine, without a lock.
tinyrt::task<void> add(std::vector<int>& l, std::chrono::milliseconds tick) {
    for (int& item : l) item = co_await inc(item, tick);  // reads item, awaits, writes
}

// The fix. As in the thread version, inc's slow part (the tick) stays
// outside the lock: holding it across the sleep would queue all 20,000
// updates one after another. Inside the lock the read-await-write remains,
// with an await that only yields (asyncio.sleep(0)): on its own that yield
// would lose updates just the same; the lock makes every other coroutine
// that wants l[i] wait until the write is done.
tinyrt::task<void> add_locked(std::vector<int>& l, std::vector<tinyrt::async_mutex>& locks,
                              std::chrono::milliseconds tick) {
    for (std::size_t i = 0; i < l.size(); ++i) {
        co_await tinyrt::sleep_for(tick);
        auto guard = co_await locks[i].scoped_lock();
        l[i] = co_await inc(l[i], std::chrono::milliseconds(0));
    }
}

}  // namespace

void atualizacoes_async(const options& opt) {
    const std::chrono::milliseconds tick(opt.tick);
    const long n = opt.threads;  // here: coroutines, all on this thread

    std::vector<int> l = initial_list();
    demo::stopwatch sw;
    tinyrt::event_loop loop;
    demo::observe(loop);
    tinyrt::run_on(
        loop,
        [](std::vector<int>& list, long count, std::chrono::milliseconds t) -> tinyrt::task<void> {
            std::vector<tinyrt::task<void>> ts;
            for (long k = 0; k < count; ++k) ts.push_back(add(list, t));
            co_await tinyrt::gather(std::move(ts));
        }(l, n, tick));
    demo::stats().report("asyncio, sem lock", loop);
    std::printf("\nasyncio (In [17] com corrotinas numa só thread):\nl = %s\n",
                python_list(l).c_str());
    std::printf(
        "  (asyncio: %ld corrotinas numa só thread, %.2f s; sem lock, o esperado seria %s: "
        "atualizações perdidas no await)\n",
        n, sw.seconds(), python_list(expected_list(n)).c_str());

    std::vector<int> fixed = initial_list();
    std::vector<tinyrt::async_mutex> locks(list_size);  // one per element, like a lock per l[i]
    demo::stopwatch sw2;
    tinyrt::event_loop loop2;
    demo::observe(loop2);
    tinyrt::run_on(loop2,
                   [](std::vector<int>& list, std::vector<tinyrt::async_mutex>& ls, long count,
                      std::chrono::milliseconds t) -> tinyrt::task<void> {
                       std::vector<tinyrt::task<void>> ts;
                       for (long k = 0; k < count; ++k) ts.push_back(add_locked(list, ls, t));
                       co_await tinyrt::gather(std::move(ts));
                   }(fixed, locks, n, tick));
    demo::stats().report("asyncio com async_mutex", loop2);
    std::printf("l = %s\n", python_list(fixed).c_str());
    const bool exact = fixed == expected_list(n);
    std::printf(
        "  (asyncio com async_mutex, %ld corrotinas, %.2f s: %s)\n", n, sw2.seconds(),
        exact ? "nenhuma atualização perdida" : "ERRO: atualizações perdidas mesmo com o lock");
    std::fflush(stdout);
    if (!exact) std::exit(1);
}

}  // namespace lista
