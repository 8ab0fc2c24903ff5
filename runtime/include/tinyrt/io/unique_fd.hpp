// An owned file descriptor, closed exactly once. Closing first tells the
// event loop to forget the descriptor (tinyrt::forget_fd): the kernel reuses
// descriptor numbers at once, and a registration left behind for a closed fd
// would deliver a stale readiness event to whoever opens the next one.
//
// Contract: a unique_fd that was ever passed to wait_ready is destroyed or
// reset on the loop thread that waited on it (forget_fd is loop-thread only).
#pragma once

#include <utility>

namespace tinyrt::io {

class unique_fd {
public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    // Forgets the old descriptor in the loop, closes it, then owns `fd`.
    void reset(int fd = -1) noexcept;
    // Gives up ownership without closing.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

    [[nodiscard]] int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

private:
    int fd_ = -1;
};

}  // namespace tinyrt::io
