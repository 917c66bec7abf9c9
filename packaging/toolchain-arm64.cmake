# SPDX-License-Identifier: Apache-2.0
# Cross build for Debian/Raspberry Pi OS arm64 (64-bit Pi 3/4/5, Zero 2 W). See
# toolchain-debian-cross.cmake and scripts/cross-check arm64.
set(PACKBRIDGE_CROSS_DEB_ARCH arm64)
set(PACKBRIDGE_CROSS_TRIPLET aarch64-linux-gnu)
set(PACKBRIDGE_CROSS_PROCESSOR aarch64)
set(PACKBRIDGE_CROSS_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)
