// The tarefa cells once more, as asyncio would write them: the two tasks
// tarefa(1,5) and tarefa(6,10) are coroutines on tinyrt's event loop, all on
// the calling thread. Each `co_await sleep_for(tick)` suspends one coroutine
// and lets the other run, so their lines alternate strictly (the one that
// went to sleep first wakes first), with no second thread at all.
#include <cstdio>
#include <thread>

#include "common/clock.hpp"
#include "common/stats.hpp"
#include "tarefa/tarefa.hpp"
#include "tinyrt/coro.hpp"

namespace tarefa_demo {

namespace {

// async def tarefa(ini, fim): ... await asyncio.sleep(1)
tinyrt::task<void> tarefa_coro(long ini, long fim, std::chrono::milliseconds tick) {
    for (long i = ini; i < fim; ++i) {
        std::printf("De %ld a %ld. Valor atual: %ld\n", ini, fim, i);
        std::fflush(stdout);
        co_await tinyrt::sleep_for(tick);  // the other coroutine runs meanwhile
    }
}

}  // namespace

void cell_coroutines(const options& o) {
    const auto caller = std::this_thread::get_id();
    bool one_thread = true;
    demo::stopwatch sw;
    auto main = [&]() -> tinyrt::task<void> {
        std::printf("Antes de iniciar\n");
        auto t1 = tinyrt::create_task(tarefa_coro(1, 5, o.tick));   // T1.start()
        auto t2 = tinyrt::create_task(tarefa_coro(6, 10, o.tick));  // T2.start()
        co_await t1;                                                // T1.join()
        co_await t2;                                                // T2.join()
        one_thread = std::this_thread::get_id() == caller;
        std::printf("Depois de T1 e T2\n");
    };
    tinyrt::event_loop loop;
    demo::observe(loop);
    tinyrt::run_on(loop, main());
    demo::stats().report("corrotinas T1, T2", loop);
    std::printf("Tempo: %.3f s (4 ticks, não 8: as duas corrotinas se alternam em %s)\n",
                sw.seconds(), one_thread ? "uma só thread" : "ERRO: mais de uma thread");
    std::fflush(stdout);
}

}  // namespace tarefa_demo
