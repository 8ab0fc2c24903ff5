// The `lista` demo: the notebook's cells with Process and the shared list.
// Processes each get their own copy of a global list; threads share one; a
// thousand threads updating it without a lock lose updates; a lock fixes it.
//
// main() calls one function per notebook cell, in order; a new cell (such as
// an asyncio version) is one more function and one more line in main().
#pragma once

#include <string>
#include <vector>

namespace lista {

struct options {
    long tick = 10;       // ms slept inside inc() (the notebook's time.sleep(0.01))
    long threads = 1000;  // concurrent updaters (the notebook's n = 1000)
};

// Python's str(list): "[1, 2, 3]".
std::string python_list(const std::vector<int>& values);

// The notebook's cells, one function each.
void processos(const options& opt);              // In [15]: Process: the parent's list stays []
void threads(const options& opt);                // In [16]: threads: the list is shared
void atualizacoes_sem_lock(const options& opt);  // In [17]: lost updates
void atualizacoes_com_lock(const options& opt);  // In [17], fixed with a lock
// In [17] once more, as coroutines on tinyrt's event loop (asyncio's version):
// defined in lista_async.cpp when that file exists; main() calls it then.
void atualizacoes_async(const options& opt);

}  // namespace lista
