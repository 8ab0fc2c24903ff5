// Footprint: a task on a pool, its result joined (tinyrt::pool).
#include <tinyrt/sched.hpp>

int main(int argc, char**) {
    tinyrt::pool pool{{.workers = 2}};
    int r = pool.spawn([argc] { return argc + 41; }).join();
    return r == 42 ? 0 : 1;
}
