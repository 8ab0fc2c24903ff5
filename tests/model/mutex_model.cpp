// Relacy model of the three-state mutex (sync/mutex.hpp,
// sync/detail/mutex_slow.hpp): the runtime's basic_mutex on Relacy's
// atomics and futex.
//
// Three threads each take the mutex twice (one of them once with try_lock,
// falling back to lock) and increment a plain counter inside. Checked:
// mutual exclusion and the hand-over of the protected data (the counter is
// an rl::var: overlapping or unordered sections are a data race), the final
// count, and no lost wake-up (a waiter left asleep with the mutex free is a
// deadlock).
#include "model/run_model.hpp"
#include "tinyrt/sync/detail/mutex_slow.hpp"

namespace {

using tinyrt::model::relacy_atomics;

struct three_lockers : rl::test_suite<three_lockers, 3> {
    tinyrt::basic_mutex<relacy_atomics> m;
    rl::var<int> counter;
    int inside = 0;

    void before() { counter($) = 0; }

    void section() {
        RL_ASSERT(inside++ == 0);
        counter($) = counter($) + 1;
        --inside;
    }

    void thread(unsigned index) {
        for (int round = 0; round < 2; ++round) {
            if (index == 0 && round == 0) {
                if (!m.try_lock()) m.lock();
            } else {
                m.lock();
            }
            section();
            m.unlock();
        }
    }

    void after() {
        RL_ASSERT(counter($) == 6);
        RL_ASSERT(m.state() == 0);
    }
};

}  // namespace

int main(int argc, char** argv) {
    const auto o = tinyrt::model::parse(argc, argv, "Relacy model of the three-state mutex.");
    if (o.weak) {
        std::fprintf(stderr, "mutex_model: no weakened variant\n");
        return 2;
    }
    return tinyrt::model::run<three_lockers>("mutex", 1'000'000 * o.scale) ? 0 : 1;
}
