// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs the CLI in-process (dispatch) or as the built binary, capturing output and exit code.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/dispatch.hpp"
#include "support/paths.hpp"

namespace cli_test {

struct Run {
    int code;
    std::string out;
    std::string err;
};

inline Run call(std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = packbridge::cli::dispatch(args, out, err);
    return {code, out.str(), err.str()};
}

// stdout and stderr of the real binary, merged; args are shell-quoted by the caller.
inline Run exec(const std::string& args) {
    const std::string cmd =
        packbridge::testing::packbridge_binary().string() + " " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
        out.append(buf.data(), n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ""};
}

}  // namespace cli_test
