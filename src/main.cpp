// SPDX-License-Identifier: Apache-2.0
// packbridge: thin entry point; the subcommands live in packbridge_core (src/cli/).
#include <exception>
#include <iostream>

#include "cli/dispatch.hpp"

int main(int argc, char** argv) {
    try {
        return packbridge::cli::dispatch(argc, argv);
    } catch (const std::exception& e) {
        // Only a bug gets here: subcommands report their own errors.
        std::cerr << "packbridge: internal error: " << e.what() << "\n";
        return 70;
    }
}
