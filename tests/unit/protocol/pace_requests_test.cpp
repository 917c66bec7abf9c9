// SPDX-License-Identifier: Apache-2.0
// Request builders against the section 5.5 table, and the guarantee that no write can be built.
#include <catch2/catch.hpp>

#include "packbridge/protocol/pack/pace.hpp"

using namespace packbridge::protocol;

TEST_CASE("0x42, 0x44, 0xC1 and 0xC2 requests match the section 5.5 table for every address",
          "[pace]") {
    const char* table[16][4] = {
        {"~25004642E00200FD32", "~25004644E00200FD30", "~250046C10000FD9B", "~250046C20000FD9A"},
        {"~25014642E00201FD30", "~25014644E00201FD2E", "~250146C10000FD9A", "~250146C20000FD99"},
        {"~25024642E00202FD2E", "~25024644E00202FD2C", "~250246C10000FD99", "~250246C20000FD98"},
        {"~25034642E00203FD2C", "~25034644E00203FD2A", "~250346C10000FD98", "~250346C20000FD97"},
        {"~25044642E00204FD2A", "~25044644E00204FD28", "~250446C10000FD97", "~250446C20000FD96"},
        {"~25054642E00205FD28", "~25054644E00205FD26", "~250546C10000FD96", "~250546C20000FD95"},
        {"~25064642E00206FD26", "~25064644E00206FD24", "~250646C10000FD95", "~250646C20000FD94"},
        {"~25074642E00207FD24", "~25074644E00207FD22", "~250746C10000FD94", "~250746C20000FD93"},
        {"~25084642E00208FD22", "~25084644E00208FD20", "~250846C10000FD93", "~250846C20000FD92"},
        {"~25094642E00209FD20", "~25094644E00209FD1E", "~250946C10000FD92", "~250946C20000FD91"},
        {"~250A4642E0020AFD10", "~250A4644E0020AFD0E", "~250A46C10000FD8A", "~250A46C20000FD89"},
        {"~250B4642E0020BFD0E", "~250B4644E0020BFD0C", "~250B46C10000FD89", "~250B46C20000FD88"},
        {"~250C4642E0020CFD0C", "~250C4644E0020CFD0A", "~250C46C10000FD88", "~250C46C20000FD87"},
        {"~250D4642E0020DFD0A", "~250D4644E0020DFD08", "~250D46C10000FD87", "~250D46C20000FD86"},
        {"~250E4642E0020EFD08", "~250E4644E0020EFD06", "~250E46C10000FD86", "~250E46C20000FD85"},
        {"~250F4642E0020FFD06", "~250F4644E0020FFD04", "~250F46C10000FD85", "~250F46C20000FD84"},
    };
    for (std::uint8_t adr = 0; adr < 16; ++adr) {
        INFO("address " << int(adr));
        CHECK(pace::build_request(0x25, adr, pace::kCidAnalog) ==
              std::string(table[adr][0]) + "\r");
        CHECK(pace::build_request(0x25, adr, pace::kCidStatus) ==
              std::string(table[adr][1]) + "\r");
        CHECK(pace::build_request(0x25, adr, pace::kCidFirmware) ==
              std::string(table[adr][2]) + "\r");
        CHECK(pace::build_request(0x25, adr, pace::kCidSerial) ==
              std::string(table[adr][3]) + "\r");
    }
}

TEST_CASE("Seplos VER 0x20 and 0x51/0x4F requests match the captured ones", "[pace][seplos]") {
    CHECK(pace::build_request(0x20, 0, pace::kCidAnalog) == "~20004642E00200FD37\r");
    CHECK(pace::build_request(0x20, 0, pace::kCidManufacturer) == "~200046510000FDAE\r");
    CHECK(pace::build_request(0x20, 0, pace::kCidVersion) == "~2000464F0000FD9A\r");
}

TEST_CASE("no write command can be built", "[pace]") {
    for (const int write :
         {0x45, 0x49, 0x94, 0x95, 0x99, 0x9A, 0x9B, 0x9C, 0xA1, 0xA6, 0xB2, 0xD0}) {
        CHECK(pace::build_request(0x25, 1, static_cast<std::uint8_t>(write)).empty());
    }
}
