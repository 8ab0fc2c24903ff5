// std::chrono's durations, time points, clocks and literals (1ms), which
// tinyrt's API takes, without the rest of <chrono>. libstdc++'s <chrono>
// also holds the calendar, time zones and their stream I/O, and includes
// <sstream> for them: by itself about half of what including tinyrt costs
// the compiler. libstdc++ keeps the part tinyrt uses in <bits/chrono.h>
// (its <thread> and <mutex> include only that); any other standard library
// gets <chrono>. A program that uses the rest of <chrono> includes it.
#pragma once

#include <version>

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <chrono>
#endif
