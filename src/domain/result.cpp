// SPDX-License-Identifier: Apache-2.0
#include "packbridge/result.hpp"

namespace packbridge {

const char* to_string(Errc code) {
    switch (code) {
        case Errc::truncated:
            return "truncated";
        case Errc::bad_format:
            return "bad format";
        case Errc::length_checksum:
            return "LCHKSUM mismatch";
        case Errc::checksum:
            return "checksum mismatch";
        case Errc::bad_length:
            return "length mismatch";
        case Errc::wrong_address:
            return "wrong address";
        case Errc::unexpected:
            return "unexpected frame";
        case Errc::rejected:
            return "rejected";
        case Errc::unsupported:
            return "unsupported";
        case Errc::out_of_range:
            return "out of range";
        case Errc::timeout:
            return "timeout";
        case Errc::io:
            return "I/O error";
        case Errc::not_found:
            return "not found";
        case Errc::busy:
            return "busy";
        case Errc::invalid:
            return "invalid";
    }
    return "error";
}

}  // namespace packbridge
