// Files in tests: a scratch directory removed with its contents at the end of
// the test, and reading a whole file back.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace test_support {

// The whole file, or "(missing)" when it cannot be opened (compares unequal
// to any content a test expects).
inline std::string read_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return "(missing)";
    std::string out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
    return out;
}

class temp_dir {
public:
    explicit temp_dir(const std::string& prefix = "tinyrt-test") {
        std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
        path = tmpl;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }

    // The path of `name` inside the directory.
    std::string file(const std::string& name) const { return path + "/" + name; }

    std::string path;
};

}  // namespace test_support
