# One consumer test, run by CTest as `cmake -DMODE=<mode> ... -P run_consumer.cmake`
# (tests/consumer/CMakeLists.txt registers them):
#   install       `cmake --install` of tinyrt's build tree into a fresh PREFIX
#                 (the fixture the package and pkg-config tests share)
#   package       (a) package/ with find_package(tinyrt 0.2 CONFIG REQUIRED); also
#                 checks that the version file refuses 0.1 and 0.3, and that a
#                 machine without ConcurrentQueue configures (no public header needs it;
#                 while one did, it got a clear configure error instead)
#   subdirectory  (b) subdirectory/ with add_subdirectory(<tinyrt>)
#   fetchcontent  (c) fetchcontent/ with FetchContent_Declare(SOURCE_DIR <tinyrt>)
#   pkg-config    (d) `$CXX main.cpp $(pkg-config --cflags --libs tinyrt)`
# Each consumer builds main.cpp and runs it; its output must name VERSION.
# Other variables: SOURCE_DIR (tinyrt's source tree), BUILD_DIR (tinyrt's build
# tree), WORK_DIR, PREFIX, LIBDIR, GENERATOR, MAKE_PROGRAM, CXX, JOBS,
# CONCURRENTQUEUE_DIR (where tinyrt's build found it).
cmake_minimum_required(VERSION 3.21)
set(_here ${CMAKE_CURRENT_LIST_DIR})
set(_flags "-O1 -Wall -Wextra -Werror")

function(run)  # run(<command...>): echo it, run it, stop on failure
  string(REPLACE ";" " " _shown "${ARGN}")
  message(STATUS "$ ${_shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "failed (${_rc}): ${_shown}")
  endif()
endfunction()

function(run_quietly)  # the same, showing the output only on failure
  string(REPLACE ";" " " _shown "${ARGN}")
  message(STATUS "$ ${_shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "failed (${_rc}): ${_shown}\n${_out}")
  endif()
endfunction()

function(configure_and_build name)  # configure_and_build(<name> [cmake args...])
  set(_bin ${WORK_DIR}/${name})
  set(_gen -G ${GENERATOR})
  if(MAKE_PROGRAM)
    list(APPEND _gen -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
  endif()
  run(${CMAKE_COMMAND} -S ${_here}/${name} -B ${_bin} ${_gen}
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_CXX_FLAGS=${_flags} ${ARGN})
  run(${CMAKE_COMMAND} --build ${_bin} -j ${JOBS})
endfunction()

function(run_program exe)  # runs the consumer; its output must be "tinyrt VERSION: 9 6 42"
  message(STATUS "$ ${exe}")
  execute_process(COMMAND ${exe} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  message(STATUS "${_out}")
  if(NOT _rc EQUAL 0 OR NOT _out MATCHES "^tinyrt ${VERSION}: 9 6 42\n$")
    message(FATAL_ERROR "consumer failed (exit status ${_rc}); expected 'tinyrt ${VERSION}: 9 6 42'")
  endif()
endfunction()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE ${PREFIX})
  run_quietly(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
  foreach(f include/tinyrt/tinyrt.hpp include/tinyrt/version.hpp ${LIBDIR}/libtinyrt.a
            ${LIBDIR}/cmake/tinyrt/tinyrtConfig.cmake ${LIBDIR}/cmake/tinyrt/tinyrtConfigVersion.cmake
            ${LIBDIR}/pkgconfig/tinyrt.pc)
    if(NOT EXISTS ${PREFIX}/${f})
      message(FATAL_ERROR "cmake --install did not install ${f}")
    endif()
  endforeach()

elseif(MODE STREQUAL "package")
  configure_and_build(package -DCMAKE_PREFIX_PATH=${PREFIX})
  run_program(${WORK_DIR}/package/consumer)

  # The version file: 0.2.x only (0.x minor releases may break the API).
  set(_probe ${WORK_DIR}/package-probe)
  file(MAKE_DIRECTORY ${_probe}/src)
  file(WRITE ${_probe}/src/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.21)
project(probe LANGUAGES CXX)
foreach(v 0.1 0.3 1.0)
  find_package(tinyrt ${v} CONFIG QUIET)
  if(tinyrt_FOUND)
    message(FATAL_ERROR "find_package(tinyrt ${v}) accepted tinyrt ${tinyrt_VERSION}")
  endif()
endforeach()
find_package(tinyrt 0.2.0 EXACT CONFIG REQUIRED)
]=])
  file(REMOVE_RECURSE ${_probe}/build)
  run_quietly(${CMAKE_COMMAND} -S ${_probe}/src -B ${_probe}/build -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${PREFIX})
  message(STATUS "find_package(tinyrt 0.2.0 EXACT) finds it; 0.1, 0.3 and 1.0 do not")

  # Without ConcurrentQueue (hidden from find_path): while a public header
  # needs it, the configure must stop with a message that names it, not at
  # an #include; once none does, the package must not ask for it at all.
  set(_nocq ${WORK_DIR}/package-without-concurrentqueue)
  file(REMOVE_RECURSE ${_nocq})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${_here}/package -B ${_nocq} -G ${GENERATOR}
            -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${PREFIX}
            -DCMAKE_IGNORE_PATH=${CONCURRENTQUEUE_DIR}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(PUBLIC_CONCURRENTQUEUE)
    if(_rc EQUAL 0 OR NOT _out MATCHES "concurrentqueue/concurrentqueue.h.*libconcurrentqueue-dev")
      message(FATAL_ERROR "configuring without ConcurrentQueue (CMAKE_IGNORE_PATH=${CONCURRENTQUEUE_DIR}) "
        "should fail with a message naming it; it gave (exit status ${_rc}):\n${_out}")
    endif()
    string(REGEX MATCH "Reason given by package:\n\n([^\n]+\n)+" _reason "${_out}")
    message(STATUS "without ConcurrentQueue the configure stops with:\n${_reason}")
  else()
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "no public header needs ConcurrentQueue, yet configuring without it "
        "(CMAKE_IGNORE_PATH=${CONCURRENTQUEUE_DIR}) failed (exit status ${_rc}):\n${_out}")
    endif()
    file(GLOB_RECURSE _headers ${PREFIX}/include/tinyrt/*.hpp)
    foreach(_h IN LISTS _headers)
      file(STRINGS ${_h} _inc REGEX "concurrentqueue/")
      if(_inc)
        message(FATAL_ERROR "installed header ${_h} includes ConcurrentQueue: ${_inc}")
      endif()
    endforeach()
    message(STATUS "without ConcurrentQueue the package configures: no installed header needs it")
  endif()

elseif(MODE STREQUAL "subdirectory" OR MODE STREQUAL "fetchcontent")
  # No build type given: tinyrt must leave it empty (TINYRT_EXPECT_BUILD_TYPE).
  configure_and_build(${MODE} -DTINYRT_SOURCE_DIR=${SOURCE_DIR} -DTINYRT_EXPECT_BUILD_TYPE=)
  run_program(${WORK_DIR}/${MODE}/consumer)

elseif(MODE STREQUAL "pkg-config")
  find_program(_pkg_config NAMES pkg-config pkgconf)
  if(NOT _pkg_config)
    message("tinyrt consumer: SKIP: pkg-config is not installed (apt-get install pkg-config)")
    return()
  endif()
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
  set(_exe ${WORK_DIR}/pkg-config/consumer)
  file(MAKE_DIRECTORY ${WORK_DIR}/pkg-config)
  run(${_pkg_config} --modversion tinyrt)
  # As a user would type it, through the shell.
  run(sh -c "\"${CXX}\" ${_flags} \"${_here}/main.cpp\" -o \"${_exe}\" $(\"${_pkg_config}\" --cflags --libs tinyrt)")
  run_program(${_exe})

else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()
