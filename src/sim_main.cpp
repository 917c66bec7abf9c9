// SPDX-License-Identifier: Apache-2.0
// packbridge-sim: thin entry point; the simulator lives in src/sim/.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "packbridge/sim/sim_cli.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return packbridge::sim::run_sim(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "packbridge-sim: " << e.what() << "\n";
        return 2;
    }
}
