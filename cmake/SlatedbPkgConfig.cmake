# SPDX-License-Identifier: Apache-2.0
# pkg-config files for the installed tree (<prefix>/lib/pkgconfig/<name>.pc), relocatable
# (paths relative to ${pcfiledir}). The libraries are static, so `Libs` lists what they
# link as well; that list is read from the targets' link interfaces as an installed
# consumer sees them, so a dependency added to a target (a codec, a transport) reaches the
# .pc files without an edit here.
#
#   slatedb_install_pkgconfig(<name> DESCRIPTION <text> [REQUIRES <pc names>...]
#                             LIBRARIES <our targets, dependents first>...)

# The -l flag for a library file (/usr/lib/x86_64-linux-gnu/libz.so -> -lz).
function(_slatedb_pkgconfig_file_flag out file)
  get_filename_component(name "${file}" NAME_WE)
  string(REGEX REPLACE "^lib" "" name "${name}")
  set(${out} "-l${name}" PARENT_SCOPE)
endfunction()

# -l/-pthread flags for the non-slatedb libraries in `targets`' link interfaces, as an
# installed consumer sees them. Imported targets (ZLIB::ZLIB, PkgConfig::X, ...) become
# the files they name, or their own link interface.
function(_slatedb_pkgconfig_deps out)
  set(flags)
  foreach(target IN LISTS ARGN)
    get_target_property(items ${target} INTERFACE_LINK_LIBRARIES)
    if(NOT items)
      continue()
    endif()
    foreach(item IN LISTS items)
      # A static library's private links appear as $<LINK_ONLY:...>; installed consumers
      # see $<INSTALL_INTERFACE:...> and never $<BUILD_INTERFACE:...>.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" item "${item}")
      if(item MATCHES "^\\$<BUILD_INTERFACE:")
        continue()
      endif()
      string(REGEX REPLACE "^\\$<INSTALL_INTERFACE:(.*)>$" "\\1" item "${item}")
      if(item STREQUAL "" OR item MATCHES "^::@")
        continue()  # CMake's markers around links added from another directory
      elseif(item MATCHES "^slatedb")
        continue()  # ours: listed by the caller, in link order
      elseif(item STREQUAL "Threads::Threads")
        list(APPEND flags "-pthread")
      elseif(item STREQUAL "CURL::libcurl")
        list(APPEND flags "-lcurl")  # imported in platform/'s scope, invisible here
      elseif(item MATCHES "^\\$<" OR (item MATCHES "::" AND NOT TARGET ${item}))
        message(WARNING "pkg-config: ${item} (linked by ${target}) is left out of the .pc files")
      elseif(TARGET ${item})
        get_target_property(location ${item} IMPORTED_LOCATION)
        if(NOT location)
          get_target_property(location ${item} IMPORTED_LOCATION_RELEASE)
        endif()
        if(NOT location)
          get_target_property(location ${item} IMPORTED_LOCATION_NOCONFIG)
        endif()
        if(location)
          _slatedb_pkgconfig_file_flag(flag "${location}")
          list(APPEND flags "${flag}")
        else()
          _slatedb_pkgconfig_deps(inner ${item})
          list(APPEND flags ${inner})
        endif()
      elseif(item MATCHES "^-")
        list(APPEND flags "${item}")
      elseif(IS_ABSOLUTE "${item}")
        _slatedb_pkgconfig_file_flag(flag "${item}")
        list(APPEND flags "${flag}")
      else()
        list(APPEND flags "-l${item}")
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES flags)
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

function(slatedb_install_pkgconfig name)
  cmake_parse_arguments(PC "" "DESCRIPTION" "REQUIRES;LIBRARIES" ${ARGN})
  set(own)
  foreach(target IN LISTS PC_LIBRARIES)
    get_target_property(output ${target} OUTPUT_NAME)
    if(NOT output)
      set(output ${target})
    endif()
    list(APPEND own "-l${output}")
  endforeach()
  _slatedb_pkgconfig_deps(deps ${PC_LIBRARIES})
  list(JOIN own " " own)
  list(JOIN deps " " deps)
  list(JOIN PC_REQUIRES " " requires)
  # From <prefix>/<libdir>/pkgconfig back to <prefix> (libdir may be lib/<multiarch>).
  file(RELATIVE_PATH up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" up "${up}")
  # pkg-config's Requires entries pull in their own Libs after ours, as static linking needs.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${name}.pc
"prefix=\${pcfiledir}/${up}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}

Name: ${name}
Description: ${PC_DESCRIPTION} (C++20)
Version: ${PROJECT_VERSION}
Requires: ${requires}
Cflags: -I\${includedir}
Libs: -L\${libdir} ${own} ${deps}
")
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${name}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
