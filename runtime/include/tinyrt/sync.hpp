// Everything in tinyrt/sync/, in one include.
#pragma once
