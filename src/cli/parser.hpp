// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place CLI11 is included (a large header-only library, some 8 s of CPU per translation
// unit): only cli/command_line.cpp includes this file, which builds the parsers of packbridge's
// subcommands and of packbridge-sim; never a public header. It gives every command line the same
// shape: "usage: ..." first, then what the command does, then its options; an error is one
// line "<program>: <option>: <problem>" on stderr with exit code 2; --help exits 0.

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cli/arg_values.hpp"

namespace packbridge::cli::parser {

inline constexpr int kExitHelp = 0;
inline constexpr int kExitUsage = 2;

// "usage: <usage>" before the description (CLI11 prints the description first and derives the
// usage line; ours lists the options the way the README and the man page do).
class UsageFirst : public CLI::Formatter {
  public:
    explicit UsageFirst(std::string usage) : usage_(std::move(usage)) {}
    std::string make_description(const CLI::App* app) const override {
        std::string text = "usage: " + usage_ + "\n";
        if (!app->get_description().empty()) text += "\n" + app->get_description() + "\n";
        return text;
    }
    std::string make_usage(const CLI::App*, std::string) const override { return ""; }

  private:
    std::string usage_;
};

// `usage` without the leading "usage: ", e.g. "packbridge status [--json] [--file PATH]".
inline void shape(CLI::App& app, std::string usage) {
    app.formatter(std::make_shared<UsageFirst>(std::move(usage)));
    app.get_formatter()->column_width(24);
    // Unknown words are reported by parse() below, naming the first one.
    app.allow_extras();
}

// A CLI11 validator from one of arg_values' checks ("" = fine, else the problem).
template <class Check>
CLI::Validator check(Check problem, std::string type) {
    return CLI::Validator([problem](std::string& text) { return problem(text); }, std::move(type));
}

// The option name CLI11 puts before ':' in its messages ("--baud: ...").
inline std::string option_of(const std::string& message) {
    const auto colon = message.find(':');
    return colon == std::string::npos ? std::string() : message.substr(0, colon);
}

// Parses `args` (without the program or subcommand name). nullopt: parsed, go on. Otherwise the
// exit code to return: 0 after printing help to `out`, 2 after one error line on `err`.
inline std::optional<int> parse(CLI::App& app, const std::string& program,
                                std::span<const std::string> args, std::ostream& out,
                                std::ostream& err) {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitHelp;
    } catch (const CLI::ArgumentMismatch& e) {
        // "--baud: 1 required UINT missing" and the like: the option was given without a value.
        const auto option = option_of(e.what());
        err << program << ": " << (option.empty() ? e.what() : option + " needs a value")
            << " (see " << program << " --help)\n";
        return kExitUsage;
    } catch (const CLI::ConversionError& e) {
        // CLI11 says "Could not convert: --seed = x"; every converted option here is a number.
        const std::string message = e.what();
        const auto name = message.find(": "), eq = message.find(" = ");
        if (name == std::string::npos || eq == std::string::npos || eq < name) {
            err << program << ": " << message << "\n";
        } else {
            err << program << ": " << message.substr(name + 2, eq - name - 2) << ": \""
                << message.substr(eq + 3) << "\" is not a whole number\n";
        }
        return kExitUsage;
    } catch (const CLI::ParseError& e) {
        err << program << ": " << e.what() << "\n";
        return kExitUsage;
    }
    const auto rest = app.remaining();
    if (!rest.empty()) {
        const auto& word = rest.front();
        err << program << ": "
            << (word.starts_with("-") ? "unknown option '" : "unexpected argument '") << word
            << "' (see " << program << " --help)\n";
        return kExitUsage;
    }
    return std::nullopt;
}

// One command line: the program name ("packbridge run") is given once and names the app, starts
// the usage line and prefixes every error.
class Command {
  public:
    // `usage` = the usage line after the program name, e.g. "[--json] [--file PATH]".
    Command(std::string program, const std::string& usage, std::string description)
        : program_(std::move(program)), app_(std::move(description), program_) {
        shape(app_, program_ + " " + usage);
    }

    [[nodiscard]] CLI::App& app() { return app_; }
    // As parse() above.
    std::optional<int> parse(std::span<const std::string> args, std::ostream& out,
                             std::ostream& err) {
        return parser::parse(app_, program_, args, out, err);
    }

  private:
    std::string program_;
    CLI::App app_;
};

// Options more than one command takes, with the same name, value name, check and wording.
inline CLI::Option* add_baud(CLI::App& app, std::uint32_t& baud, const std::string& what) {
    return app.add_option("--baud", baud, what)
        ->type_name("BAUD")
        ->check(check(arg_values::baud_problem, ""));
}
inline CLI::Option* add_device(CLI::App& app, std::string& device, const std::string& what) {
    return app.add_option("--device", device, what)
        ->type_name("PATH")
        ->check(check(arg_values::serial_port_problem, ""));
}
// Sets `path` to the default first: every command that reads the config starts from the same one.
inline CLI::Option* add_config(CLI::App& app, std::string& path) {
    path = arg_values::default_config_path();
    return app
        .add_option("-c,--config", path,
                    "configuration file (default " + arg_values::default_config_path() + ")")
        ->type_name("FILE")
        ->check(check(arg_values::config_path_problem, ""));
}
inline CLI::Option* add_address(CLI::App& app, const std::string& name, unsigned& address,
                                const std::string& what) {
    return app.add_option(name, address, what)
        ->type_name("ADR")
        ->check(check(arg_values::address_problem, ""));
}

}  // namespace packbridge::cli::parser
