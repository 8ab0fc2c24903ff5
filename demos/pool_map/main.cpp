// pool_map: the notebook's "Concorrência Declarativa" cells (Pool.map) on
// tinyrt. Each notebook cell is one function; adding a section is one line.

#include "common/args.hpp"
#include "common/heading.hpp"
#include "common/stats.hpp"
#include "pool_map/pool_map.hpp"

namespace pool_map_demo {
void add_download_flags(demo::args& a);  // --delay, --out, --fail (download.cpp)
}  // namespace pool_map_demo

int main(int argc, char** argv) {
    long tick_ms = 1000;
    pool_map_demo::options o;
    demo::args a{"pool_map",
                 "The notebook's Pool.map cells: map(inc, [1, 2, 3]) sequentially and on\n"
                 "a 3-worker tinyrt::pool, then a CPU-bound map on every core."};
    a.add("tick", tick_ms, "length of the notebook's one-second sleep, in milliseconds", 0, 60000);
    a.add("cpu-items", o.cpu_items, "items in the CPU-bound map", 1, 100000);
    pool_map_demo::add_download_flags(a);
    demo::stats().add_flag(a);
    a.parse(argc, argv);
    o.tick = std::chrono::milliseconds(tick_ms);

    using namespace pool_map_demo;
    demo::print_heading("Pool(3).map(inc, [1, 2, 3])");
    cell_inc(o);
    demo::print_heading("map CPU-bound");
    cell_cpu_bound(o);
    demo::print_heading("download");
    cell_download(o);
    demo::stats().print();
    return 0;
}
