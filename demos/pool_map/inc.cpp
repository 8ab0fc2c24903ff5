// The notebook's first Pool cell: inc(x) sleeps one tick and returns x + 1.
// Sequentially three items take three ticks; Pool(3).map takes about one,
// because each worker sleeps in parallel with the others.
#include <cstdio>
#include <thread>

#include "common/clock.hpp"
#include "common/stats.hpp"
#include "pool_map/pool_map.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/span.hpp"

namespace pool_map_demo {

std::string list_repr(const std::vector<int>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i != 0) s += ", ";
        s += std::to_string(v[i]);
    }
    return s + "]";
}

void cell_inc(const options& o) {
    auto inc = [tick = o.tick](int x) {
        tinyrt::trace::span traced{"inc"};  // a bar of its own with --trace/--html
        std::this_thread::sleep_for(tick);
        return x + 1;
    };
    const std::vector<int> l{1, 2, 3};

    // Versão sequencial
    std::printf("Ini\n");
    demo::stopwatch t1;
    std::vector<int> seq;
    for (int x : l) seq.push_back(inc(x));
    std::printf("%s\n", list_repr(seq).c_str());
    std::printf("Fim: %.15g\n", t1.seconds());

    // Versão paralela: with Pool(3) as p: p.map(inc, l)
    std::printf("Ini\n");
    demo::stopwatch t2;
    {
        tinyrt::pool p{demo::pool_options(3, "Pool(3)")};
        std::printf("%s\n", list_repr(p.map(inc, l)).c_str());
        demo::stats().report("Pool(3).map(inc, [1, 2, 3])", p);
    }
    std::printf("Fim: %.15g\n", t2.seconds());
    std::fflush(stdout);
}

}  // namespace pool_map_demo
