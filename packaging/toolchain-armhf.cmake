# SPDX-License-Identifier: Apache-2.0
# Cross build for Debian armhf (ARMv7 hard-float, Pi 2 and later running 32-bit OS). See
# toolchain-debian-cross.cmake and scripts/cross-check armhf. Raspberry Pi OS's own 32-bit
# "armhf" is ARMv6 (Pi 1, Zero); Debian's armhf binaries need ARMv7 and do not run there.
set(PACKBRIDGE_CROSS_DEB_ARCH armhf)
set(PACKBRIDGE_CROSS_TRIPLET arm-linux-gnueabihf)
set(PACKBRIDGE_CROSS_PROCESSOR arm)
set(PACKBRIDGE_CROSS_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)
# GCC on 32-bit ARM notes, for every std::span or small struct passed by value, that GCC 7.1
# changed how it is passed: only relevant when linking with code built by GCC < 7.1.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
