// Everything in tinyrt/sched/, in one include.
#pragma once
