// The `tarefa` demo: the notebook's first cells (threads, start, join),
// rebuilt on tinyrt::pool. One function per notebook cell; main.cpp calls
// them in order.
#pragma once

#include <chrono>

namespace tarefa_demo {

struct options {
    std::chrono::milliseconds tick{1000};  // the notebook's time.sleep(1)
};

// The notebook's tarefa(ini, fim): prints each value and sleeps one tick.
void tarefa(long ini, long fim, std::chrono::milliseconds tick);

void cell_sequential(const options& o);          // In [1]: tarefa(1,3); tarefa(4,6)
void cell_start_without_join(const options& o);  // In [3]: T1, T2 started, not joined
void cell_start_and_join(const options& o);      // In [4]: T1, T2 started and joined

// The same two tasks as coroutines on the event loop (demos/tarefa/tarefa_coro.cpp).
void cell_coroutines(const options& o);

}  // namespace tarefa_demo
