# SPDX-License-Identifier: Apache-2.0
# Cross-compiling packbridge for another Debian architecture on a Debian bookworm host, with
# Debian's cross compilers (crossbuild-essential-<arch>) and the target's -dev packages
# installed multiarch (libboost-dev:<arch> ...): no separate sysroot, the target's libraries
# live in /usr/lib/<triplet>, its pkg-config files in /usr/lib/<triplet>/pkgconfig.
# Not used directly: packaging/toolchain-arm64.cmake and toolchain-armhf.cmake set
# PACKBRIDGE_CROSS_TRIPLET, PACKBRIDGE_CROSS_PROCESSOR and PACKBRIDGE_CROSS_QEMU, then include
# this file. scripts/cross-check ARCH installs all of it and uses them.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${PACKBRIDGE_CROSS_PROCESSOR})
set(CMAKE_LIBRARY_ARCHITECTURE ${PACKBRIDGE_CROSS_TRIPLET})

set(CMAKE_C_COMPILER   ${PACKBRIDGE_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${PACKBRIDGE_CROSS_TRIPLET}-g++)
set(CMAKE_AR           ${PACKBRIDGE_CROSS_TRIPLET}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB       ${PACKBRIDGE_CROSS_TRIPLET}-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP        ${PACKBRIDGE_CROSS_TRIPLET}-strip CACHE FILEPATH "")  # CPACK_STRIP_FILES
set(CMAKE_OBJDUMP      ${PACKBRIDGE_CROSS_TRIPLET}-objdump CACHE FILEPATH "")  # dpkg-shlibdeps

# Programs (pkg-config, qemu, the code generators) come from the host; headers, libraries and
# CMake package files only from the cross toolchain's root and the multiarch system: "/" is in
# the root list because Debian's multiarch -dev packages install below /usr (the arch-specific
# parts in /usr/lib/<triplet>, found through CMAKE_LIBRARY_ARCHITECTURE; never the host's
# /usr/lib/x86_64-linux-gnu, which CMake does not search when the architecture is set).
set(CMAKE_FIND_ROOT_PATH /usr/${PACKBRIDGE_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: only the target's .pc files (and the arch-independent ones), never the host's.
# Set in the environment so pkg_check_modules and anything it runs see it.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${PACKBRIDGE_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Target programs run under qemu-user: catch_discover_tests runs each test program at build
# time to list its test cases, and ctest runs add_test(COMMAND <target>) through it too. The
# target's loader and libraries are installed multiarch (libc6:<arch> ...), so qemu needs no -L.
# Programs that tests start themselves (packbridge, packbridge-sim) are exec()ed directly and
# need qemu registered with binfmt_misc (scripts/cross-check does that when it can).
find_program(PACKBRIDGE_CROSS_EMULATOR ${PACKBRIDGE_CROSS_QEMU} REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${PACKBRIDGE_CROSS_EMULATOR})

# The Debian architecture of the package (CPack would otherwise ask the host's dpkg).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${PACKBRIDGE_CROSS_DEB_ARCH})
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/cpack-cross.cmake)
