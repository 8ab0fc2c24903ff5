// A report of what an event loop is doing, for a watchdog or a stress tool
// that wants to say why a run is stuck. Internal: the format is for people,
// not for parsing, and may change.
//
// describe(loop) reads only atomics, relaxed (loop_probe.hpp and the loop's
// cross-thread fields), so any thread may call it while the loop runs (not
// while it is constructed or destroyed). The counts are copied by the loop
// every 64th step and before it sleeps: exact while it is parked, at most 64
// steps old while it runs. One line:
//
//   loop 3: parked ready=0 timers=1 fd_waits=0 to_thread=0 posted=0 keep_alives=0 tasks_run=2
#pragma once

#include <string>

namespace tinyrt {
class event_loop;
}

namespace tinyrt::detail {

std::string describe(const tinyrt::event_loop& loop);

}  // namespace tinyrt::detail
