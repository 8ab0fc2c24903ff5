// soma: the notebook's "Recursos compartilhados" — +1 a million times and -1
// a million times, sequentially, concurrently without a lock, and with each
// lock.
#include "common/args.hpp"
#include "common/stats.hpp"
#include "soma.hpp"

int main(int argc, char** argv) {
    soma::options opt;
    demo::args a{
        "soma",
        "Soma compartilhada: +1 e -1 n vezes, sem e com lock (notebook: Recursos compartilhados)."};
    a.add("n", opt.n, "increments per thread", 1, 100000000)
        .add("threads", opt.threads, "threads (even: half add +1, half add -1)", 2, 64)
        .add("tick", opt.tick, "accepted like every demo's --tick; soma never sleeps", 0, 1000000);
    demo::stats().add_flag(a);
    a.parse(argc, argv);
    if (opt.threads % 2 != 0)
        a.fail("--threads must be even (half add +1, half add -1), got " +
               std::to_string(opt.threads));

    soma::sequencial(opt);
    soma::concorrente_sem_lock(opt);
    soma::concorrente_com_lock(opt);
    demo::stats().print();
    return 0;
}
