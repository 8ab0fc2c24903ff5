// A report of what a pool is doing, for a watchdog or a stress tool that
// wants to say why a run is stuck. Internal: the format is for people, not
// for parsing, and may change.
//
// describe(p) reads only atomics, relaxed, so any thread may call it while
// the pool runs (not while it is constructed or destroyed); the lines are a
// snapshot, not one consistent instant. One line per worker
// (worker_state.hpp): its index, activity and task, tasks run, its private
// buffer's count, whether its public deque looks non-empty, and whether a
// thief's steal request is pending. Then one line with the injection
// queue's count, the fork-join tickets from outside, how many workers are
// searching, parked and waiting, the guests, and the shutdown flags:
//
//   worker 0: running task=0x7f1c2c000b40 tasks_run=1 private=0 deque=empty steal_request=no
//   worker 1: parked tasks_run=0 private=0 deque=empty steal_request=no
//   pool: workers=2 injected=0 outside_tickets=0 searching=0 parked=1 waiting=0 guests=0
//         stopping=no
#pragma once

#include <string>

namespace tinyrt {
class pool;
}

namespace tinyrt::detail {

std::string describe(const tinyrt::pool& p);

}  // namespace tinyrt::detail
