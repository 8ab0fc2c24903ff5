// The monitor thread: the live progress line (rewritten with '\r' on a
// terminal, a plain line every few seconds otherwise) and the watchdog. A
// scenario that completes no operation for --stall seconds is a hang: the
// watchdog prints what every watched pool, loop and thread was doing, the
// seed and the replay command, and ends the process with exit status 3.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "tool/context.hpp"

namespace stress {

class monitor {
public:
    explicit monitor(const options& opt);
    ~monitor();
    monitor(const monitor&) = delete;
    monitor& operator=(const monitor&) = delete;

    // Watches ctx until end(); ctx must outlive the end() call.
    void begin(context& ctx);
    // Stops watching; clears the progress line.
    void end();

private:
    void loop();
    void print_progress(bool final_line);
    [[noreturn]] void report_hang(double stalled_for);

    const options& opt_;
    const bool tty_;
    std::mutex mutex_;
    std::condition_variable wake_;
    context* ctx_ = nullptr;
    bool quit_ = false;
    std::thread thread_;
};

}  // namespace stress
