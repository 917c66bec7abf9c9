// SPDX-License-Identifier: Apache-2.0
// What an installer sees when --config points at the wrong thing: the path, what the OS said,
// and never a JSON error for something that is not a file, nor bad_alloc for /dev/zero.
// Real files, directories and FIFOs in a scratch directory.
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "packbridge/config/load.hpp"
#include "packbridge/util/read_file.hpp"

namespace fs = std::filesystem;
using packbridge::ConfigError;
using packbridge::load_config_file;

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() / ("pb-config-errors-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
};

std::string load_error(const fs::path& path) {
    try {
        (void)load_config_file(path);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(loaded)";
}

}  // namespace

TEST_CASE("a config path that is not a readable regular file says what it is and what the OS said",
          "[config][file]") {
    Scratch s;
    const fs::path fifo = s.dir / "fifo.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // no writer: must not block
    const fs::path big = s.dir / "big.json";
    {
        std::ofstream(big).put(' ');
        fs::resize_file(big, 2 * 1024 * 1024);  // sparse: 2 MiB without writing them
    }
    const fs::path file = s.dir / "plain.json";
    std::ofstream(file) << "{}";

    struct Case {
        std::string name;
        fs::path path;
        std::string expected;
    };
    const std::vector<Case> cases{
        {"missing file", s.dir / "missing.json",
         (s.dir / "missing.json").string() +
             ": cannot open the config file: No such file or directory (use --config FILE)"},
        {"a file used as a directory", file / "packbridge.json",
         (file / "packbridge.json").string() + ": cannot open the config file: Not a directory"},
        {"directory", s.dir, s.dir.string() + ": cannot read the config file: it is a directory"},
        {"FIFO", fifo,
         fifo.string() + ": cannot read the config file: it is a FIFO (named pipe), not a regular "
                         "file"},
        {"/dev/zero", "/dev/zero",
         "/dev/zero: cannot read the config file: it is a character device, not a regular file"},
        {"2 MiB file", big,
         big.string() + ": cannot read the config file: it is 2097152 bytes, more than the "
                        "1048576-byte limit"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(load_error(c.path) == c.expected);
    }
}

// load_error() as an unprivileged user: root would read the file regardless (CAP_DAC_OVERRIDE),
// so when the suite runs as root a child drops to nobody (65534) first.
std::string load_error_unprivileged(const fs::path& path) {
    if (::geteuid() != 0) return load_error(path);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        std::string text = "(could not drop privileges)";
        if (::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0)
            text = load_error(path);
        (void)!::write(fds[1], text.data(), text.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return text;
}

TEST_CASE("a file without read permission names the OS's reason", "[config][file]") {
    Scratch s;
    const fs::path file = s.dir / "secret.json";
    std::ofstream(file) << "{}";
    fs::permissions(file, fs::perms::owner_read);  // 0400: only its owner (root here) reads it
    if (::geteuid() != 0) fs::permissions(file, fs::perms::none);
    CHECK(load_error_unprivileged(file) ==
          file.string() + ": cannot open the config file: Permission denied");
}

TEST_CASE("a config of exactly 1 MiB is read and parsed; one byte more is refused",
          "[config][file]") {
    Scratch s;
    const fs::path at_limit = s.dir / "at-limit.json";
    std::ofstream(at_limit) << std::string(packbridge::kMaxConfigBytes, ' ');
    // Read in full, so the parser speaks: only whitespace is a JSON error, not a size error.
    CHECK_THAT(load_error(at_limit), Catch::Contains("JSON syntax error"));
    const fs::path over = s.dir / "over.json";
    std::ofstream(over) << std::string(packbridge::kMaxConfigBytes + 1, ' ');
    CHECK_THAT(load_error(over), Catch::Contains("it is 1048577 bytes, more than the"));
}

TEST_CASE("read_small_file returns the whole file and names its role in errors", "[file]") {
    Scratch s;
    const fs::path file = s.dir / "status.json";
    std::ofstream(file) << "{\"a\": 1}\n";
    const auto read = packbridge::read_small_file(file.string(), "the status file", 100);
    REQUIRE(read.ok());
    CHECK(*read == "{\"a\": 1}\n");
    const auto small = packbridge::read_small_file(file.string(), "the status file", 4);
    REQUIRE_FALSE(small.ok());
    CHECK(small.error().detail ==
          file.string() +
              ": cannot read the status file: it is 9 bytes, more than the 4-byte limit");
    const auto missing = packbridge::read_small_file((s.dir / "x").string(), "the status file", 4);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == packbridge::Errc::not_found);
}
