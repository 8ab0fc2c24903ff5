// tinyrt-stress without test-only faults: the fault controls do nothing and
// --fault is not accepted (tool/options.cpp checks faults_built_in).
#include "tool/fault_control.hpp"

namespace stress {

bool is_fault(const std::string&) {
    return false;
}
std::string fault_names() {
    return {};
}
void enable_fault(const std::string&, double) {}
void seed_faults(std::uint64_t) {}
void set_fault_stream(std::uint64_t) {}
std::string fault_counts() {
    return {};
}

}  // namespace stress
