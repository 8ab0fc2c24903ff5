// The heading every demo prints before a notebook cell ("# In [3]: ..."), so
// the output reads cell by cell beside the notebook and the demo tests can
// find a cell (tests/support/demo_output.hpp reads it back).
#pragma once

#include <cstdio>
#include <string>

namespace demo {

inline void print_heading(const std::string& title) {
    std::printf("\n# %s\n", title.c_str());
    std::fflush(stdout);  // before any worker thread prints the cell's lines
}

}  // namespace demo
