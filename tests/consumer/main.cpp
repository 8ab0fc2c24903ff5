// Uses tinyrt through its one include, as an outside program would.
#include <tinyrt/tinyrt.hpp>

#include <cstdio>
#include <mutex>

int main() {
    tinyrt::mutex m;
    int counter = 0;
    {
        std::lock_guard<tinyrt::mutex> guard(m);
        ++counter;
    }
    std::printf("consumer: counter = %d\n", counter);
    return counter == 1 ? 0 : 1;
}
