// tarefa: the notebook's "Threads" cells on tinyrt. Each notebook cell is
// one function; adding a section is one line here.

#include "common/args.hpp"
#include "common/heading.hpp"
#include "common/stats.hpp"
#include "tarefa/tarefa.hpp"

int main(int argc, char** argv) {
    long tick_ms = 1000;
    demo::args a{"tarefa",
                 "The notebook's thread cells: tarefa(ini, fim) run sequentially, then as\n"
                 "two tasks on a tinyrt::pool started without and with join."};
    a.add("tick", tick_ms, "length of the notebook's one-second sleep, in milliseconds", 0, 60000);
    demo::stats().add_flag(a);
    a.parse(argc, argv);

    tarefa_demo::options o;
    o.tick = std::chrono::milliseconds(tick_ms);

    using namespace tarefa_demo;
    demo::print_heading("In [1]: versão sequencial");
    cell_sequential(o);
    demo::print_heading("In [3]: T1.start(), T2.start(), sem join");
    cell_start_without_join(o);
    demo::print_heading("In [4]: T1.start(), T2.start(), join");
    cell_start_and_join(o);
    demo::print_heading("Corrotinas no event loop");
    cell_coroutines(o);
    demo::stats().print();
    return 0;
}
