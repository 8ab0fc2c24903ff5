// The two errors the coroutine layer reports, asyncio's CancelledError and
// TimeoutError. Both derive from std::exception so `catch (const
// std::exception&)` sees them; neither allocates, so throwing one cannot fail.
//
// Without exceptions (-fno-exceptions) they are never thrown: the place that
// would throw ends the program through detail::fatal with the what() text.
#pragma once

#include <exception>

namespace tinyrt {

// What a cancelled task sees at the await it was suspended in (sleep_for,
// wait_ready, async_mutex::lock, awaiting another task), and what whoever
// awaits a cancelled task sees. A task may catch it and clean up; like
// asyncio, it should then let it propagate (or return).
class cancelled_error : public std::exception {
public:
    const char* what() const noexcept override { return "tinyrt: task cancelled"; }
};

// Thrown by wait_for when the timeout wins the race with the task's
// completion (the task has then been cancelled and has finished).
class timeout_error : public std::exception {
public:
    const char* what() const noexcept override { return "tinyrt: wait_for timed out"; }
};

}  // namespace tinyrt
