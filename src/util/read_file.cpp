// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace packbridge {
namespace {

const char* kind_of(mode_t mode) {
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }

  private:
    int fd_;
};

}  // namespace

Result<std::string> read_small_file(const std::string& path, std::string_view what,
                                    std::size_t max_bytes) {
    const auto fail = [&](Errc code, const char* step, const std::string& reason) {
        return make_error(code,
                          path + ": cannot " + step + " " + std::string(what) + ": " + reason);
    };
    const auto os_error = [&](const char* step, int err) {
        return fail(err == ENOENT ? Errc::not_found : Errc::io, step, std::strerror(err));
    };
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. Regular files
    // ignore it. A directory opens fine read-only and is refused by fstat below.
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (fd.get() < 0) return os_error("open", errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return os_error("read", errno);
    if (S_ISDIR(st.st_mode)) return fail(Errc::invalid, "read", "it is a directory");
    if (!S_ISREG(st.st_mode))
        return fail(Errc::invalid, "read",
                    std::string("it is ") + kind_of(st.st_mode) + ", not a regular file");
    const auto too_big = [&](std::size_t size) {
        return fail(Errc::invalid, "read",
                    "it is " + std::to_string(size) + " bytes, more than the " +
                        std::to_string(max_bytes) + "-byte limit");
    };
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
        return too_big(static_cast<std::size_t>(st.st_size));

    // The size may change while we read (an editor writing in place): read to EOF, but never
    // more than the limit.
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    for (;;) {
        if (done == text.size()) {
            if (text.size() > max_bytes) return too_big(text.size());
            text.resize(text.size() + 4096);
        }
        const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return os_error("read", errno);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    if (done > max_bytes) return too_big(done);
    text.resize(done);
    return text;
}

}  // namespace packbridge
