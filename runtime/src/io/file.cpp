#include "tinyrt/io/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "tinyrt/io/errors.hpp"

namespace tinyrt::io {

int write_file_blocking(const std::string& path, std::string_view contents) noexcept {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    int err = 0;
    for (std::size_t done = 0; done < contents.size();) {
        ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        done += static_cast<std::size_t>(n);  // a partial write (full disk, signal): write the rest
    }
    // close() can report the error of a delayed write (NFS, quota): keep it.
    if (::close(fd) != 0 && err == 0) err = errno;
    return err;
}

task<void> write_file(pool& workers, std::string path, std::string contents) {
    // The closure owns path and contents and reports by value, so nothing
    // crosses threads by reference and no exception has to cross it either
    // (the no-exceptions build runs the same code).
    //
    // The closure is a named local, not a temporary inside the co_await
    // expression: g++ 12 destroys such temporaries twice (GCC bug 99576).
    auto write = [path, data = std::move(contents)]() noexcept {
        return write_file_blocking(path, data);
    };
    int err = co_await to_thread(workers, std::move(write));
    if (err != 0) raise_system_error(err, "write file " + path);
}

}  // namespace tinyrt::io
