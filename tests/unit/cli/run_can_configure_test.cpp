// SPDX-License-Identifier: Apache-2.0
// `packbridge run` with inverter.can.configure = true and no CAP_NET_ADMIN (the packaged unit
// without its drop-in) exits at once with the drop-in named, before opening anything.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"

namespace fs = std::filesystem;

TEST_CASE("run refuses inverter.can.configure without CAP_NET_ADMIN and names the drop-in",
          "[cli][capability]") {
    const fs::path config =
        fs::temp_directory_path() / ("pb-can-configure-" + std::to_string(::getpid()) + ".json");
    std::ofstream(config) << R"({"inverter": {"brand": "deye", "can": {"interface": "can0",
        "configure": true, "bitrate": 500000}}})";
    fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                fs::perms::others_read);
    // As root, run it as nobody with every capability dropped, as the unit runs it as
    // `packbridge`; as an ordinary user it has no capabilities anyway.
    const std::string prefix =
        ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "
                           "--bounding-set=-all "
                         : "";
    const std::string cmd = prefix + packbridge::testing::packbridge_binary().string() +
                            " run --config '" + config.string() + "' 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
        out.append(buf, n);
    const int status = pclose(pipe);
    fs::remove(config);
    INFO(out);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK_THAT(out, Catch::Contains("packbridge run: inverter.can.configure is true, but "
                                    "packbridge has no CAP_NET_ADMIN"));
    CHECK_THAT(out, Catch::Contains("packbridge-can-configure.conf"));
    CHECK_THAT(out, Catch::Contains("systemctl edit packbridge"));
}
