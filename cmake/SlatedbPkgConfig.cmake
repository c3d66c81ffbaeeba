# SPDX-License-Identifier: Apache-2.0
# pkg-config files for the installed tree (<prefix>/lib/pkgconfig/<name>.pc), relocatable
# (paths relative to ${pcfiledir}). The libraries are static, so `Libs` lists what they
# link as well; that list is read from the targets' link interfaces as an installed
# consumer sees them, so a dependency added to a target (a codec, a transport) reaches the
# .pc files without an edit here.
#
#   slatedb_install_pkgconfig(<name> DESCRIPTION <text> [REQUIRES <pc names>...]
#                             LIBRARIES <our targets, dependents first>...)

# -l/-pthread flags for the non-slatedb libraries in `targets`' link interfaces.
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
        list(APPEND flags "-lcurl")
      elseif(item MATCHES "^\\$<")
        message(FATAL_ERROR "pkg-config: cannot translate ${item} (linked by ${target})")
      elseif(TARGET ${item})
        message(FATAL_ERROR "pkg-config: no -l flag known for the imported target ${item} "
                            "(linked by ${target}); add one in cmake/SlatedbPkgConfig.cmake")
      elseif(item MATCHES "^-")
        list(APPEND flags "${item}")
      elseif(IS_ABSOLUTE "${item}")
        get_filename_component(name "${item}" NAME_WE)
        string(REGEX REPLACE "^lib" "" name "${name}")
        list(APPEND flags "-l${name}")
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
