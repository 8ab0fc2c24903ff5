// The event loop's construction and destruction, keep-alives and the
// shutdown's cancellation (tinyrt/coro/detail/loop_core.hpp): once per loop
// or per keep-alive, so this file is compiled for size
// (runtime/CMakeLists.txt); the step and the resumptions are in
// loop_core.cpp.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "tinyrt/coro/detail/loop_core.hpp"
#include "tinyrt/detail/atomic.hpp"
#include "tinyrt/detail/config.hpp"
#include "tinyrt/detail/futex.hpp"
#include "tinyrt/detail/os_thread.hpp"
#include "tinyrt/detail/system_error.hpp"

namespace tinyrt::detail {
namespace {

// Source of loop_core::id(); only uniqueness matters, so relaxed is enough.
detail::atomic<std::uint64_t> next_loop_id{1};

// A resource the loop cannot start without: the kernel's refusal (EMFILE,
// ENOMEM) is raised as std::system_error, like any other resource failure.
int check_resource(int fd, const char* what) {
    if (fd < 0) throw_system_error(errno, what);
    return fd;
}

// Closes a descriptor unless released: the constructor's undo on failure.
struct fd_guard {
    int fd;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
    int release() noexcept { return std::exchange(fd, -1); }
};

// The wake-up item a keep-alive's release posts: it only makes the loop
// run a step, which re-checks for a deadlock.
struct nudge : posted_work {
    nudge() noexcept {
        run = &discard;
        drop = &discard;
    }
    static void discard(posted_work* self) noexcept { delete static_cast<nudge*>(self); }
};

}  // namespace

loop_core::loop_core() : id_(next_loop_id.fetch_add(1, relaxed)) {  // see next_loop_id
    // Each descriptor is guarded until the loop is complete, so a failure
    // half-way closes what was opened.
    fd_guard epoll_fd{check_resource(::epoll_create1(EPOLL_CLOEXEC), "tinyrt: epoll_create1")};
    fd_guard wake_fd{check_resource(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "tinyrt: eventfd")};
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = wake_token;
    check_resource(::epoll_ctl(epoll_fd.fd, EPOLL_CTL_ADD, wake_fd.fd, &ev),
                   "tinyrt: epoll_ctl(eventfd)");
    epoll_fd_ = epoll_fd.release();
    wake_fd_ = wake_fd.release();
}

loop_core::~loop_core() {
    // 1. A thread holding a keep-alive may still post: wait until every one
    //    is released. The acquire pairs with the seq_cst decrement in
    //    release_keep_alive.
    for (std::uint32_t held; (held = keep_alives_.load(acquire)) != 0;)
        futex_wait(keep_alives_, held);  // woken by release_keep_alive's last release
    // 2. A poster (a release's wake-up item included) may still be between
    //    its push and the end of its eventfd write: wait for it before
    //    closing the fd under it. Pairs with the release decrements in
    //    post() and release_keep_alive().
    while (posters_.load(acquire) != 0) yield_thread();
    // 3. Posted work that never ran (posted after the last run) is dropped,
    //    not run on a loop that is going away; its memory is freed.
    posted_work* w = wakeup_.take_remaining();
    while (w != nullptr) {
        posted_work* next = w->next;
        if (w->drop != nullptr) w->drop(w);
        w = next;
    }
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void loop_core::hold_keep_alive() noexcept {
    keep_alives_.fetch_add(1, seq_cst);
}

void loop_core::release_keep_alive() {
    // The wake-up item is allocated before anything is released, so a
    // failure leaves the keep-alive held rather than the loop asleep.
    auto* wake_up = new nudge;
    // Counted as a poster first: ~loop_core() may return as soon as the
    // count below reaches zero, but then waits for posters_.
    posters_.fetch_add(1, seq_cst);
    // The destructor waits for zero only (step 1): the last release wakes it.
    if (keep_alives_.fetch_sub(1, seq_cst) == 1) futex_wake(keep_alives_, -1);
    // The loop may be asleep with the keep-alive as its only reason to wait:
    // wake it so that its next step re-checks for a deadlock.
    push_and_wake(wake_up);
    // The last touch of the loop; release pairs with the acquire load in ~loop_core().
    posters_.fetch_sub(1, release);
}

void loop_core::cancel_listed() noexcept {
    // Cancelling may finish and unlist nodes: copy first.
    const std::vector<task_node*> live = listed_;
    for (task_node* n : live) {
        if (!n->has(task_done)) n->cancel();
    }
}

}  // namespace tinyrt::detail
