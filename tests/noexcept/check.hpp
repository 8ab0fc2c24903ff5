// A tiny check macro for the smoke programs, which have no test framework
// (doctest is built with exceptions).
#pragma once

#include <cstdio>
#include <cstdlib>

#define NOEXCEPT_CHECK(cond)                                                        \
    do {                                                                            \
        if (!(cond)) {                                                              \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            std::exit(1);                                                           \
        }                                                                           \
    } while (0)
