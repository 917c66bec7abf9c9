// packbridge: thin entry point; everything lives in packbridge_core (src/cli/ dispatches).
#include <cstdio>
#include <cstring>

#include "packbridge/version.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("packbridge %s\n", packbridge::kVersion);
        return 0;
    }
    std::fprintf(stderr, "usage: packbridge <subcommand> [options]\n");
    return 2;
}
