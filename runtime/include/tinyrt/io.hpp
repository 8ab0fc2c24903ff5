// Everything in tinyrt/io/, in one include.
#pragma once
