// Everything in tinyrt/coro/, in one include.
#pragma once
