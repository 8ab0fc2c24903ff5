// Everything in tinyrt/sched/, in one include.
#pragma once

#include "tinyrt/sched/chase_lev_deque.hpp"
#include "tinyrt/sched/join_handle.hpp"
#include "tinyrt/sched/map.hpp"
#include "tinyrt/sched/pool.hpp"
#include "tinyrt/sched/stats.hpp"
#include "tinyrt/sched/task_group.hpp"
