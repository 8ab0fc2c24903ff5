// The notebook's thread cells. Python's threading.Thread becomes a task on a
// two-worker tinyrt::pool (one worker per thread of the notebook); start()
// is pool.spawn, join() is join_handle::join.
#include <cstdio>
#include <thread>

#include "common/stats.hpp"
#include "tarefa/tarefa.hpp"
#include "tinyrt/sched.hpp"

namespace tarefa_demo {

void tarefa(long ini, long fim, std::chrono::milliseconds tick) {
    for (long i = ini; i < fim; ++i) {
        // One printf per line: stdio locks per call, so lines of concurrent
        // tasks never mix inside a line.
        std::printf("De %ld a %ld. Valor atual: %ld\n", ini, fim, i);
        std::fflush(stdout);
        std::this_thread::sleep_for(tick);
    }
}

void cell_sequential(const options& o) {
    tarefa(1, 3, o.tick);
    // a primeira chamada deve terminar antes de começar a execução da segunda
    tarefa(4, 6, o.tick);
}

void cell_start_without_join(const options& o) {
    tinyrt::pool pool{demo::pool_options(2, "sem join")};
    std::printf("Antes de iniciar\n");
    std::fflush(stdout);
    auto t1 = pool.spawn([&] { tarefa(1, 5, o.tick); });
    auto t2 = pool.spawn([&] { tarefa(6, 10, o.tick); });
    std::printf("Depois de T1 e T2\n");
    std::fflush(stdout);
    // The notebook's cell ends here while T1 and T2 still run. The demo then
    // lets them finish before the next cell (otherwise their lines would mix
    // into it), as destroying the pool would, so that the counts are final.
    t1.join();
    t2.join();
    demo::stats().report("T1, T2 sem join", pool);
}

void cell_start_and_join(const options& o) {
    tinyrt::pool pool{demo::pool_options(2, "com join")};
    auto t1 = pool.spawn([&] { tarefa(1, 5, o.tick); });
    auto t2 = pool.spawn([&] { tarefa(6, 10, o.tick); });
    t1.join();
    t2.join();
    std::printf("Depois de T1 e T2\n");
    std::fflush(stdout);
    demo::stats().report("T1, T2 com join", pool);
}

}  // namespace tarefa_demo
