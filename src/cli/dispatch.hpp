#pragma once

namespace packbridge::cli {

// `packbridge <subcommand> [args]`: runs the subcommand, returns the process exit code.
int dispatch(int argc, char** argv);

}  // namespace packbridge::cli
