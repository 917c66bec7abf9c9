// packbridge: thin entry point; everything lives in packbridge_core (src/cli/ dispatches).
#include "packbridge/cli/dispatch.hpp"

int main(int argc, char** argv) {
    return packbridge::cli::dispatch(argc, argv);
}
