// The `soma` demo: the notebook's "Recursos compartilhados" section. Threads
// add +1 and -1 to one shared sum; without a lock updates are lost, with any
// lock the sum comes back to 0.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

#include "tinyrt/detail/cpu.hpp"

namespace soma {

struct options {
    long n = 1000000;  // increments per thread (the notebook's 1000000)
    long threads = 2;  // half add +1, half add -1 (the notebook's sum1 and sum2)
    long tick = 0;     // accepted like every demo's --tick; soma never sleeps
};

// The step of thread `index`: +1 for the first half's pattern, -1 for the other.
inline long step_of(long index) {
    return index % 2 == 0 ? +1 : -1;
}

// Releases all threads at once. A C++ loop of a million increments takes a
// millisecond or two, less than it takes to start a second thread: without
// the gate the first thread can finish before the second starts, nothing
// overlaps and the race shows 0 by luck.
class start_gate {
public:
    explicit start_gate(long threads) : expected_(threads) {}

    // Called by each worker: wait until open() (spinning, so every worker is
    // on a core, not asleep, when the gate opens).
    void arrive_and_wait() {
        arrived_.fetch_add(1);
        for (unsigned i = 1; !open_.load(); ++i) {
            tinyrt::detail::cpu_relax();
            if (i % 1024 == 0) std::this_thread::yield();  // let the opener run on a busy machine
        }
    }

    // Called by the main thread once all workers are started.
    void open() {
        while (arrived_.load() != expected_) std::this_thread::yield();
        open_.store(true);
    }

private:
    long expected_;
    std::atomic<long> arrived_{0};
    std::atomic<bool> open_{false};
};

// Runs body(index) on `threads` threads released together by a start gate;
// returns the seconds from the gate opening until the last one finished.
template <typename Body>
double run_together(long threads, Body body);

// The notebook's cells, one function each.
void sequencial(const options& opt);            // In [7], first half: sum1 then sum2
void concorrente_sem_lock(const options& opt);  // In [7], second half: the race
void concorrente_com_lock(const options& opt);  // In [9]: with each lock

}  // namespace soma

#include "run_together.hpp"
