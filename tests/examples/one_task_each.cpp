// The program that the walk-through of runtime/DESIGN.md follows (DESIGN.md,
// "One task, end to end"): one pool.spawn task joined from main, and one
// create_task coroutine awaited on the event loop. toolchain/examples cuts it into DESIGN.md; CTest
// runs it (label `docs`).
// [example: walk]
#include <tinyrt/tinyrt.hpp>
using namespace std::chrono_literals;

tinyrt::task<int> nap(int n) {
    co_await tinyrt::sleep_for(1ms);  // parks this coroutine at a timer
    co_return n + 1;
}

tinyrt::task<int> amain() {
    tinyrt::task_handle<int> h = tinyrt::create_task(nap(41));  // a root of its own, ready now
    co_return co_await h;                                       // suspends until nap finishes
}

int main() {
    tinyrt::pool pool{{.workers = 2}};
    tinyrt::join_handle<int> h = pool.spawn([] { return 6 * 7; });  // main is no worker: injected
    int v = h.join();                                               // main sleeps until it is done
    int c = tinyrt::run(amain());                                   // an event loop on this thread
    return v == 42 && c == 42 ? 0 : 1;
}
// [end example]
