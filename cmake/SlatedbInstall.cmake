# SPDX-License-Identifier: Apache-2.0
# `cmake --install` puts the public headers, the static libraries and a CMake package in
# the prefix, so that another project can do:
#   find_package(slatedb REQUIRED)
#   target_link_libraries(app PRIVATE slatedb::slatedb)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installed consumers link zstd by name (Debian's libzstd-dev); the build tree uses the
# library path found at configure time.
target_link_libraries(slatedb_core PUBLIC $<INSTALL_INTERFACE:zstd>)

install(TARGETS slatedb_core slatedb_platform_memory slatedb_s3 slatedb_platform slatedb
        EXPORT slatedbTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/slatedb
                  ${PROJECT_SOURCE_DIR}/platform/include/slatedb
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT slatedbTargets
        NAMESPACE slatedb::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/slatedb)

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/slatedbConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/slatedb)
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/slatedbConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/slatedb)
