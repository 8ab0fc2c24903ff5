// In [7]: the sum computed sequentially, then by threads racing on it.
#include <atomic>
#include <cstdio>
#include <thread>

#include "soma.hpp"

namespace soma {

namespace {

// The notebook's `soma = soma + step`, as a read then a separate write.
//
// Why atomics with relaxed order, and not a plain long: in C++ two threads
// writing a plain variable is a data race, which is undefined behaviour (the
// compiler may keep the sum in a register and write it once at the end, and
// the "race" would show nothing, or anything). A relaxed atomic load followed
// by a relaxed atomic store is well defined: each thread reads some recent
// value and writes value + step, and when the other thread wrote in between,
// that write is overwritten. The updates are lost exactly as in Python, with
// no undefined behaviour.
void calcularsoma(std::atomic<long>& sum, long step, long n) {
    for (long i = 0; i < n; ++i) {
        const long value =
            sum.load(std::memory_order_relaxed);  // the race is the point: no ordering wanted
        sum.store(value + step,
                  std::memory_order_relaxed);  // overwrites updates made since the load
    }
}

}  // namespace

void sequencial(const options& opt) {
    std::atomic<long> sum{0};
    // Like sum1.start(); sum1.join(); sum2.start(); sum2.join(): one at a time.
    for (long t = 0; t < opt.threads; ++t) {
        std::thread worker([&sum, &opt, t] {
            demo::timeline().run_as_task("thread " + std::to_string(t), "calcularsoma",
                                         [&] { calcularsoma(sum, step_of(t), opt.n); });
        });
        worker.join();
    }
    std::printf("Resultado seq: %ld\n", sum.load());
}

void concorrente_sem_lock(const options& opt) {
    // A run where the threads happen not to overlap gives 0 by luck (rare with
    // the start gate, but a busy machine may not run two threads at once).
    // Try a few times to show the race, and say so when it took more than one.
    const int attempts = 10;
    long result = 0;
    int attempt = 1;
    for (; attempt <= attempts; ++attempt) {
        std::atomic<long> sum{0};
        run_together(opt.threads, "calcularsoma",
                     [&](long t) { calcularsoma(sum, step_of(t), opt.n); });
        result = sum.load();
        if (result != 0) break;
    }
    std::printf("Resultado concorrente: %ld\n", result);
    if (result == 0) {
        std::printf(
            "  (em %d tentativas as threads nunca se sobrepuseram: a máquina não as rodou ao mesmo "
            "tempo)\n",
            attempts);
    } else if (attempt > 1) {
        std::printf(
            "  (na tentativa %d; nas anteriores as threads não se sobrepuseram e deu 0 por "
            "sorte)\n",
            attempt);
    }
    std::printf(
        "  (sem lock: cada thread lê a soma e depois escreve soma + step; o que a outra escreveu\n"
        "   nesse meio tempo se perde — o resultado muda de uma execução para outra)\n");
}

}  // namespace soma
