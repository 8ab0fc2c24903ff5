// A pool whose destructor is already running on another thread, held back by
// one task that blocks until release(): the window in which spawns from
// outside the pool must be refused ("the pool is shutting down").
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "tinyrt/sched.hpp"

namespace test_support {

class pool_being_destroyed {
public:
    pool_being_destroyed()
        : owned_(std::make_unique<tinyrt::pool>(tinyrt::pool_options{.workers = 1})),
          pool_(owned_.get()) {
        pool_->spawn([this] {
            while (!released_.load()) std::this_thread::yield();
        });
        destroyer_ = std::thread([this] { owned_.reset(); });
    }
    pool_being_destroyed(const pool_being_destroyed&) = delete;
    pool_being_destroyed& operator=(const pool_being_destroyed&) = delete;
    ~pool_being_destroyed() { join(); }

    // Valid until join(): the destructor waits for the blocking task.
    tinyrt::pool& pool() { return *pool_; }
    // Lets the blocking task end, so the destructor can finish.
    void release() { released_.store(true); }
    // Releases and waits until the pool is destroyed.
    void join() {
        release();
        if (destroyer_.joinable()) destroyer_.join();
    }

private:
    std::unique_ptr<tinyrt::pool> owned_;
    tinyrt::pool* pool_;
    std::atomic<bool> released_{false};
    std::thread destroyer_;
};

}  // namespace test_support
