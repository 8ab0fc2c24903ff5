#include "tinyrt/detail/system_error.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "tinyrt/detail/config.hpp"

#if TINYRT_EXCEPTIONS
TEST_CASE("throw_system_error: a std::system_error with the errno and \"<what>: <strerror>\"") {
    bool caught = false;
    try {
        tinyrt::detail::throw_system_error(EMFILE, "epoll_create1");
    } catch (const std::system_error& e) {
        caught = true;
        CHECK(e.code().value() == EMFILE);
        CHECK(&e.code().category() == &std::generic_category());
        CHECK(static_cast<bool>(e.code() == std::errc::too_many_files_open));
        CHECK(std::string(e.what()) == std::string("epoll_create1: ") + std::strerror(EMFILE));
    }
    CHECK(caught);
}

TEST_CASE("throw_system_error: a long what() is cut, never overrun") {
    const std::string what(400, 'x');
    bool caught = false;
    try {
        tinyrt::detail::throw_system_error(EINVAL, what.c_str());
    } catch (const std::system_error& e) {
        const std::string text = e.what();
        CHECK(!text.empty());
        CHECK(text.size() < what.size());
        CHECK(what.compare(0, text.size(), text) == 0);  // a prefix of "<what>: ..."
        CHECK(e.code().value() == EINVAL);
        caught = true;
    }
    CHECK(caught);
}
#endif
