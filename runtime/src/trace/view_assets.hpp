// The HTML view's script and style (view.js, view.css in this directory),
// compiled in by CMake (view_assets.cpp.in) so the library needs no files
// at run time.
#pragma once

namespace tinyrt::trace::view_assets {

extern const char* const script;  // view.js
extern const char* const style;   // view.css

}  // namespace tinyrt::trace::view_assets
