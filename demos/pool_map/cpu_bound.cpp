// A CPU-bound map (not in the notebook, whose Pool example sleeps): counting
// the primes below a bound for many bounds, sequentially and with pool.map on
// every hardware thread, to show the speed-up this machine's cores give.
#include <cstdio>
#include <thread>

#include "common/clock.hpp"
#include "common/stats.hpp"
#include "pool_map/pool_map.hpp"
#include "tinyrt/sched.hpp"

namespace pool_map_demo {

namespace {

int count_primes_below(int n) {
    int count = 0;
    for (int k = 2; k < n; ++k) {
        bool prime = true;
        for (int d = 2; d * d <= k; ++d) {
            if (k % d == 0) {
                prime = false;
                break;
            }
        }
        count += prime ? 1 : 0;
    }
    return count;
}

}  // namespace

void cell_cpu_bound(const options& o) {
    std::vector<int> bounds;
    for (long i = 0; i < o.cpu_items; ++i) bounds.push_back(50000 + static_cast<int>(i) * 1000);

    std::printf("Ini (CPU: primos abaixo de N, %zu valores, sequencial)\n", bounds.size());
    demo::stopwatch t1;
    std::vector<int> seq;
    for (int n : bounds) seq.push_back(count_primes_below(n));
    double s1 = t1.seconds();
    std::printf("Fim: %.15g\n", s1);

    unsigned cores = std::thread::hardware_concurrency();
    if (cores == 0) cores = 1;
    std::printf("Ini (CPU: pool.map com %u workers)\n", cores);
    demo::stopwatch t2;
    std::vector<int> par;
    {
        tinyrt::pool p{demo::pool_options(cores, "CPU")};
        par = p.map(count_primes_below, bounds);
        demo::stats().report("map CPU-bound", p);
    }
    double s2 = t2.seconds();
    std::printf("Fim: %.15g\n", s2);
    std::printf("Resultados iguais: %s; aceleração: %.2fx em %u núcleos\n",
                par == seq ? "sim" : "NAO", s1 / s2, cores);
    std::fflush(stdout);
}

}  // namespace pool_map_demo
