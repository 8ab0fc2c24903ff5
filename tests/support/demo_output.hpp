// Reading a demo's output in the demo tests: its lines, and the lines of one
// cell (the demos print a heading line starting with '#' before each cell).
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace test_support {

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The non-empty lines after the heading that contains `title`, up to the
// next heading.
inline std::vector<std::string> cell_lines(const std::string& text, const std::string& title) {
    std::vector<std::string> cell;
    bool in = false;
    for (const auto& line : lines_of(text)) {
        if (!line.empty() && line[0] == '#') {
            in = line.find(title) != std::string::npos;
            continue;
        }
        if (in && !line.empty()) cell.push_back(line);
    }
    return cell;
}

}  // namespace test_support
