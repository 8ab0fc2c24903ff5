// The one include: every public part of tinyrt.
#pragma once

#include "tinyrt/version.hpp"
#include "tinyrt/sync.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/io.hpp"
