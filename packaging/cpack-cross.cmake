# SPDX-License-Identifier: Apache-2.0
# Read by cpack (CPACK_PROJECT_CONFIG_FILE, set by toolchain-debian-cross.cmake) in cross
# builds. dpkg-shlibdeps looks for the target's libraries in /usr/lib/<multiarch>, and picks
# <triplet>-objdump, only when DEB_HOST_ARCH says the host (package) architecture differs from
# the build machine's; the libraries' shlibs/symbols files come from the installed :<arch>
# packages (libc6:arm64, libstdc++6:arm64, libsystemd0:arm64 ...).
if(CPACK_DEBIAN_PACKAGE_ARCHITECTURE)
  set(ENV{DEB_HOST_ARCH} ${CPACK_DEBIAN_PACKAGE_ARCHITECTURE})
endif()
