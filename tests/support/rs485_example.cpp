#include "support/rs485_example.hpp"

#include <stdexcept>

namespace packbridge::testing {

// TEMPORARY hand-built state until tests/support/example_state (the real bank) lands.
Battery rs485_example_battery() {
    Battery b;
    b.safe_state = false;
    b.transmit = true;
    b.packs_counted = 3;
    b.packs_known = 3;
    b.voltage_mv = 52100;
    b.current_ma = -12300;
    b.soc_centi = 6700;
    b.soh_centi = 9800;
    b.remaining_mah = 201000;
    b.full_mah = 300000;
    b.design_mah = 300000;
    b.cycles = 123;
    b.temp_min_dc = 241;
    b.temp_max_dc = 260;
    b.temp_mean_dc = 253;
    b.temp_min_at = {3, 2, 0};
    b.temp_max_at = {1, 2, 0};
    b.mosfet_temp_max_dc = 253;
    b.has_mosfet_temp = true;
    b.cell_min_mv = 3251;
    b.cell_max_mv = 3262;
    b.cell_min_at = {3, 12, 44};
    b.cell_max_at = {1, 7, 7};
    b.cells_total = 48;
    b.cells_per_module = 16;
    b.charge_voltage.value = 56000;
    b.discharge_voltage.value = 48000;
    b.charge_current.value = 100000;
    b.discharge_current.value = 150000;
    b.charge_enable = true;
    b.discharge_enable = true;
    for (std::uint8_t a = 1; a <= 3; ++a) {
        Module m;
        m.address = a;
        m.voltage_mv = 52100;
        m.current_ma = -4100;
        m.remaining_mah = 67000;
        m.full_mah = 100000;
        m.design_mah = 100000;
        m.soc_centi = 6700;
        m.soh_centi = 9800;
        m.cycles = 123;
        m.cell_mv.assign(16, 3256);
        m.cell_temp_dc.assign(4, 253);
        m.mosfet_temp_dc = 253;
        m.has_mosfet_temp = true;
        m.charge_mosfet_on = true;
        m.discharge_mosfet_on = true;
        if (a == 1) {
            m.cell_mv[6] = 3262;
            m.cell_temp_dc[1] = 260;
        }
        if (a == 3) {
            m.cell_mv[11] = 3251;
            m.cell_temp_dc[1] = 241;
        }
        b.modules.push_back(m);
    }
    return b;
}

std::vector<std::uint8_t> hex_bytes(std::string_view hex) {
    std::vector<std::uint8_t> out;
    int hi = -1;
    for (const char c : hex) {
        if (c == ' ') continue;
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else
            throw std::invalid_argument("hex_bytes: not hex: " + std::string(hex));
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>((hi << 4) | v));
            hi = -1;
        }
    }
    if (hi >= 0) throw std::invalid_argument("hex_bytes: odd digit count: " + std::string(hex));
    return out;
}

std::string hex_string(const std::vector<std::uint8_t>& bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i) out.push_back(' ');
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0xF]);
    }
    return out;
}

std::vector<std::uint8_t> ascii_bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

}  // namespace packbridge::testing
