# tinyrt_expect_only_the_library(<tinyrt source dir>): stops the configure
# unless tinyrt, built inside this project, added nothing but its library:
# no test, demo or benchmark target, no CTest test, no install rule, and it
# left the including project's build type alone.
function(_tinyrt_collect dir targets_var tests_var)
  get_property(_targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(_tests DIRECTORY ${dir} PROPERTY TESTS)
  get_property(_subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(_sub IN LISTS _subdirs)
    _tinyrt_collect(${_sub} _sub_targets _sub_tests)
    list(APPEND _targets ${_sub_targets})
    list(APPEND _tests ${_sub_tests})
  endforeach()
  set(${targets_var} ${_targets} PARENT_SCOPE)
  set(${tests_var} ${_tests} PARENT_SCOPE)
endfunction()

function(tinyrt_expect_only_the_library dir)
  _tinyrt_collect(${dir} _targets _tests)
  if(NOT _targets STREQUAL "tinyrt" OR _tests)
    message(FATAL_ERROR "tinyrt inside another project added targets '${_targets}' "
      "and tests '${_tests}'; expected the target tinyrt alone")
  endif()
  if(TINYRT_INSTALL)
    message(FATAL_ERROR "tinyrt inside another project generated install rules")
  endif()
  if(DEFINED TINYRT_EXPECT_BUILD_TYPE AND NOT CMAKE_BUILD_TYPE STREQUAL TINYRT_EXPECT_BUILD_TYPE)
    message(FATAL_ERROR "tinyrt changed the including project's CMAKE_BUILD_TYPE "
      "to '${CMAKE_BUILD_TYPE}' (expected '${TINYRT_EXPECT_BUILD_TYPE}')")
  endif()
  message(STATUS "tinyrt inside this project: only the library target tinyrt")
endfunction()
