// The scheduler's public API in one include: pool, join_handle, task_group, join,
// map, pool_stats. Its internals (deque, parking, task blocks, workers) are
// under tinyrt/sched/detail/.
#pragma once

#include "tinyrt/sched/fork_join.hpp"
#include "tinyrt/sched/join_handle.hpp"
#include "tinyrt/sched/map.hpp"
#include "tinyrt/sched/pool.hpp"
#include "tinyrt/sched/stats.hpp"
#include "tinyrt/sched/task_group.hpp"
