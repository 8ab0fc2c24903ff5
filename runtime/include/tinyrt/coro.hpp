// Everything in tinyrt/coro/, in one include.
#pragma once

#include "tinyrt/coro/async_mutex.hpp"
#include "tinyrt/coro/create_task.hpp"
#include "tinyrt/coro/errors.hpp"
#include "tinyrt/coro/event_loop.hpp"
#include "tinyrt/coro/gather.hpp"
#include "tinyrt/coro/io_wait.hpp"
#include "tinyrt/coro/run.hpp"
#include "tinyrt/coro/sleep.hpp"
#include "tinyrt/coro/task.hpp"
#include "tinyrt/coro/to_thread.hpp"
#include "tinyrt/coro/wait_for.hpp"
#include "tinyrt/coro/when_any.hpp"
