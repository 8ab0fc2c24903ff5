#include "tinyrt/io/unique_fd.hpp"

#include <unistd.h>

#include "tinyrt/coro.hpp"

namespace tinyrt::io {

void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0) {
        // Forget before close: once closed, the number may be reused by
        // another thread's open(), and the loop must not confuse the two.
        tinyrt::forget_fd(fd_);
        ::close(fd_);  // on Linux the fd is released even when close reports EINTR; never retry
    }
    fd_ = fd;
}

}  // namespace tinyrt::io
