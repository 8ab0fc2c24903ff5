#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tinyrt/detail/futex.hpp"

TEST_CASE("futex_wait returns at once when the word already differs") {
    std::atomic<std::uint32_t> word{1};
    tinyrt::detail::futex_wait(word, 0);  // would sleep forever if it ignored the value
    CHECK(word.load() == 1);
}

TEST_CASE("futex_wake wakes a sleeping waiter") {
    std::atomic<std::uint32_t> word{0};
    std::thread waiter([&] {
        while (word.load() == 0) tinyrt::detail::futex_wait(word, 0);
    });
    word.store(1);
    tinyrt::detail::futex_wake(word, 1);
    waiter.join();
    CHECK(word.load() == 1);
}
