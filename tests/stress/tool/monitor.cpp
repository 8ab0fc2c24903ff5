#include "tool/monitor.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace stress {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

}  // namespace

monitor::monitor(const options& opt) : opt_(opt), tty_(::isatty(STDOUT_FILENO) == 1) {
    thread_ = std::thread([this] { loop(); });
}

monitor::~monitor() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void monitor::begin(context& ctx) {
    std::lock_guard lock(mutex_);
    ctx_ = &ctx;
}

void monitor::end() {
    std::lock_guard lock(mutex_);
    if (tty_ && ctx_ != nullptr) std::printf("\r%-100s\r", "");
    std::fflush(stdout);
    ctx_ = nullptr;
}

void monitor::print_progress(bool final_line) {
    const double t = ctx_->elapsed();
    const std::uint64_t ops = ctx_->operations();
    const double rate = t > 0 ? static_cast<double>(ops) / t : 0;
    char line[160];
    std::snprintf(line, sizeof line, "%-9s %7.1fs  ops %12llu  %11.0f/s  checks %12llu",
                  ctx_->name().c_str(), t, static_cast<unsigned long long>(ops), rate,
                  static_cast<unsigned long long>(ctx_->checks()));
    if (tty_ && !final_line) {
        std::printf("\r%s", line);
    } else {
        std::printf("%s\n", line);
    }
    std::fflush(stdout);
}

void monitor::loop() {
    std::unique_lock lock(mutex_);
    context* watching = nullptr;
    std::uint64_t last_ops = 0;
    auto last_change = clock_type::now();
    auto last_print = clock_type::now();
    while (!quit_) {
        wake_.wait_for(lock, std::chrono::milliseconds(100));
        if (quit_) break;
        if (ctx_ == nullptr) {
            watching = nullptr;
            continue;
        }
        if (ctx_ != watching) {  // a new scenario
            watching = ctx_;
            last_ops = ctx_->operations();
            last_change = last_print = clock_type::now();
        }
        const std::uint64_t ops = ctx_->operations();
        if (ops != last_ops) {
            last_ops = ops;
            last_change = clock_type::now();
        } else if (seconds_since(last_change) >= opt_.stall) {
            report_hang(seconds_since(last_change));
        }
        if (seconds_since(last_print) >= (tty_ ? 0.2 : 2.0)) {
            print_progress(false);
            last_print = clock_type::now();
        }
    }
}

void monitor::report_hang(double stalled_for) {
    if (tty_) std::printf("\n");
    std::printf(
        "HANG: scenario %s completed no operation for %.1f s (at %.1f s, %llu operations)\n",
        ctx_->name().c_str(), stalled_for, ctx_->elapsed(),
        static_cast<unsigned long long>(ctx_->operations()));
    std::printf("what each pool, loop and thread was doing:\n%s", ctx_->describe_all().c_str());
    std::printf("seed: %llu\n", static_cast<unsigned long long>(opt_.seed));
    std::printf("replay: %s\n", replay_command(opt_, ctx_->name()).c_str());
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(3);  // the hung threads cannot be joined
}

}  // namespace stress
