#include "lista.hpp"

namespace lista {

std::string python_list(const std::vector<int>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out += ", ";
        out += std::to_string(values[i]);
    }
    return out + "]";
}

}  // namespace lista
