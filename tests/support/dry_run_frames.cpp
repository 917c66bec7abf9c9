// SPDX-License-Identifier: Apache-2.0
#include "support/dry_run_frames.hpp"

#include <algorithm>
#include <sstream>

namespace packbridge::testing {

std::vector<DryRunFrame> parse_dry_run(const std::string& log) {
    // "(1700000000.123456) - 351#C0020000E8030000\t; CVL 56.0 V ..."
    std::vector<DryRunFrame> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        const auto close = line.find(')');
        const auto hash = line.find('#');
        if (line.empty() || line[0] != '(' || close == std::string::npos ||
            hash == std::string::npos || hash < close) {
            continue;  // a partly written last line, or anything else
        }
        const auto space = line.rfind(' ', hash);
        const auto end = line.find('\t', hash);
        DryRunFrame f;
        f.at = std::stod(line.substr(1, close - 1));
        f.id = line.substr(space + 1, hash - space - 1);
        f.payload = line.substr(hash + 1, end == std::string::npos ? end : end - hash - 1);
        out.push_back(f);
    }
    return out;
}

std::vector<DryRunFrame> frames_with_id(const std::vector<DryRunFrame>& all,
                                        const std::string& id) {
    std::vector<DryRunFrame> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const DryRunFrame& f) { return f.id == id; });
    return out;
}

unsigned le16(const std::string& hex, std::size_t byte) {
    if (hex.size() < byte * 2 + 4) return 0;
    return static_cast<unsigned>(
        std::stoul(hex.substr(byte * 2 + 2, 2) + hex.substr(byte * 2, 2), nullptr, 16));
}

double longest_gap(const std::vector<DryRunFrame>& frames) {
    double gap = 0;
    for (std::size_t i = 1; i < frames.size(); ++i) {
        gap = std::max(gap, frames[i].at - frames[i - 1].at);
    }
    return gap;
}

}  // namespace packbridge::testing
