// lista: the notebook's cells with Process and the shared list, in order.
#include "common/args.hpp"
#include "common/stats.hpp"
#include "lista.hpp"

int main(int argc, char** argv) {
    lista::options opt;
    demo::args a{"lista",
                 "Listas com processos e threads: cópias, compartilhamento, atualizações perdidas "
                 "e o lock."};
    a.add("tick", opt.tick, "milliseconds slept in inc() (the notebook's time.sleep(0.01))", 0,
          10000)
        .add("threads", opt.threads, "concurrent updaters of the 20-element list", 1, 5000);
    demo::stats().add_flag(a);
    a.parse(argc, argv);

    lista::processos(opt);
    lista::threads(opt);
    lista::atualizacoes_sem_lock(opt);
    lista::atualizacoes_com_lock(opt);
    lista::atualizacoes_async(opt);
    demo::stats().print();
    return 0;
}
