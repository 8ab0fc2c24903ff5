// The `pool_map` demo: the notebook's Pool.map cells on tinyrt::pool. One
// function per notebook cell; main.cpp calls them in order.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pool_map_demo {

struct options {
    std::chrono::milliseconds tick{1000};  // the notebook's time.sleep(1)
    long cpu_items = 48;                   // items of the CPU-bound map
};

// Python's repr of a list of ints: "[2, 3, 4]".
std::string list_repr(const std::vector<int>& v);

void cell_inc(const options& o);        // list(map(inc, l)) vs Pool(3).map(inc, l)
void cell_cpu_bound(const options& o);  // a CPU-bound map: the speed-up on this machine's cores

// The download cells (demos/pool_map/download.cpp).
void cell_download(const options& o);

}  // namespace pool_map_demo
