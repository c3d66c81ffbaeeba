# SPDX-License-Identifier: Apache-2.0
# `cmake --install` puts the public headers, the static libraries, a CMake package and
# pkg-config files in the prefix, so that another project can do:
#   find_package(slatedb CONFIG REQUIRED)                 # or COMPONENTS S3
#   target_link_libraries(app PRIVATE slatedb::slatedb)   # + slatedb::s3
# or
#   c++ -std=c++20 app.cc $(pkg-config --cflags --libs slatedb)      # or slatedb-s3
# The S3 client (libslatedb_s3.a, libcurl) is an optional component, so a consumer that
# does not use it needs no libcurl.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/SlatedbPkgConfig.cmake)

# Installed consumers link the codec libraries by name (Debian's libzstd-dev,
# libsnappy-dev, liblz4-dev, zlib1g-dev); the build tree uses the paths found at configure
# time.
target_link_libraries(slatedb_core PUBLIC $<INSTALL_INTERFACE:zstd> $<INSTALL_INTERFACE:snappy>
                      $<INSTALL_INTERFACE:lz4> $<INSTALL_INTERFACE:z>)

# Installed names match the in-tree aliases: slatedb::core, slatedb::platform_memory
# (slatedb::platform and slatedb::s3 are named in platform/CMakeLists.txt).
set_target_properties(slatedb_core PROPERTIES EXPORT_NAME core)
set_target_properties(slatedb_platform_memory PROPERTIES EXPORT_NAME platform_memory)

set(_slatedb_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/slatedb)
install(TARGETS slatedb_core slatedb_platform_memory slatedb_platform_native slatedb
        EXPORT slatedbTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS slatedb_s3
        EXPORT slatedbS3Targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/slatedb
                  ${PROJECT_SOURCE_DIR}/platform/include/slatedb
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        PATTERN "*.in" EXCLUDE)
install(FILES ${SLATEDB_VERSION_HEADER}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/slatedb)
install(EXPORT slatedbTargets NAMESPACE slatedb:: DESTINATION ${_slatedb_cmake_dir})
install(EXPORT slatedbS3Targets NAMESPACE slatedb:: DESTINATION ${_slatedb_cmake_dir})

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/slatedbConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfig.cmake
  INSTALL_DESTINATION ${_slatedb_cmake_dir})
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfigVersion.cmake
        DESTINATION ${_slatedb_cmake_dir})

slatedb_install_pkgconfig(slatedb
  DESCRIPTION "SlateDB in C++: an embedded LSM key-value store on object storage"
  LIBRARIES slatedb_platform_native slatedb_platform_memory slatedb_core)
slatedb_install_pkgconfig(slatedb-s3
  DESCRIPTION "SlateDB's S3 object store (libcurl)"
  REQUIRES slatedb
  LIBRARIES slatedb_s3)
