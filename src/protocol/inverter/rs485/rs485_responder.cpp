// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"

namespace packbridge::protocol {

const char* to_string(Rs485Outcome::Kind kind) {
    switch (kind) {
        case Rs485Outcome::Kind::answered:
            return "answered";
        case Rs485Outcome::Kind::broadcast:
            return "broadcast";
        case Rs485Outcome::Kind::not_for_us:
            return "not_for_us";
        case Rs485Outcome::Kind::malformed:
            return "malformed";
        case Rs485Outcome::Kind::silenced:
            return "silenced";
    }
    return "?";
}

}  // namespace packbridge::protocol
