# SPDX-License-Identifier: Apache-2.0
# Debian package with CPack's DEB generator (scripts/package builds it into build/).
#
# Why CPack rather than a debian/ directory with debhelper: the package is made from the same
# install() rules as `cmake --install`, so there is one list of what goes where, and nothing
# under debian/ (rules, control, compat, *.install, *.links) to keep in step with CMake.
# dpkg-shlibdeps still computes Depends from the binaries (CPACK_DEBIAN_PACKAGE_SHLIBDEPS).
# What debhelper would generate by itself is written out in packaging/debian/: the maintainer
# scripts follow dh_installsystemd's snippets and add the system user.

# The project's role address (a packager rebuilding it sets their own).
set(PACKBRIDGE_DEB_MAINTAINER "packbridge maintainers <packbridge@packbridge.org>"
    CACHE STRING "Maintainer field of the Debian package (name <email>)")
# The package version: the project's, or an override (scripts/package --version V), e.g. a
# higher "0.1.0+rebuild1" to test an upgrade. scripts/package passes it on every configure
# (empty = the project version).
if(NOT PACKBRIDGE_DEB_VERSION)
  set(PACKBRIDGE_DEB_VERSION ${PROJECT_VERSION})
endif()

# Debian wants the changelog compressed with gzip -9n (no name/timestamp: reproducible).
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/changelog.in
               ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
execute_process(COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/packaging/changelog
                OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
foreach(page packbridge.1 packbridge-sim.1)
  execute_process(COMMAND gzip -9nc ${CMAKE_CURRENT_LIST_DIR}/man/${page}
                  OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/${page}.gz COMMAND_ERROR_IS_FATAL ANY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/man/${page})
  install(FILES ${PROJECT_BINARY_DIR}/packaging/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
install(FILES ${CMAKE_CURRENT_LIST_DIR}/debian/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME packbridge)
set(CPACK_PACKAGE_VENDOR "packbridge maintainers")
set(CPACK_PACKAGE_VERSION ${PACKBRIDGE_DEB_VERSION})
set(CPACK_PACKAGE_CONTACT ${PACKBRIDGE_DEB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "LiFePO4 battery packs to solar inverter gateway")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"packbridge makes a stack of up to 16 parallel LiFePO4 battery packs
(PACE-family BMS on a shared RS485 bus) look like one battery to a hybrid
inverter. It polls the packs, aggregates the fresh ones under one explicit
charge-safety policy and speaks the inverter protocol chosen in
/etc/packbridge/packbridge.json, over SocketCAN (Pylon/Deye) or RS485
(Pylon, Voltronic, Growatt SPF, SRNE).
.
The package ships the daemon as a hardened systemd service running as the
unprivileged user packbridge (group dialout), and packbridge-sim, a pack
simulator on a pseudo-terminal.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION electronics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Added to what dpkg-shlibdeps finds: adduser for the maintainer scripts; procps for /bin/kill
# in the unit's ExecReload (a minimal Debian has no procps: reload then fails with 203/EXEC,
# found by the system suite's reload scenario).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, procps")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "can-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
# 0755 for the scripts, 0644 for conffiles, whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
