// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "packbridge/status/status.hpp"

namespace packbridge::status {
namespace {

Error os_error(const std::string& what, const std::string& path) {
    return make_error(Errc::io, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<void> write_atomic(const std::string& path, std::string_view content) {
    // Same directory as the target so rename(2) stays on one file system and is atomic.
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return os_error("cannot create", tmp);
    // World-readable whatever the umask: the unit's UMask=0077 would make it 0600, and
    // `packbridge status` is meant to work without sudo. The status holds no secrets.
    if (::fchmod(fd, 0644) != 0) {
        Error e = os_error("cannot chmod", tmp);
        ::close(fd);
        ::unlink(tmp.c_str());
        return e;
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            Error e = os_error("cannot write", tmp);
            ::close(fd);
            ::unlink(tmp.c_str());
            return e;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        Error e = os_error("cannot close", tmp);
        ::unlink(tmp.c_str());
        return e;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        Error e = os_error("cannot rename " + tmp + " to", path);
        ::unlink(tmp.c_str());
        return e;
    }
    return {};
}

}  // namespace packbridge::status
