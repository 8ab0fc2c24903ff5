// Elapsed time as the notebook prints it: time.perf_counter() differences in
// seconds, as a double.
#pragma once

#include <chrono>

namespace demo {

class stopwatch {
public:
    stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_;
};

}  // namespace demo
