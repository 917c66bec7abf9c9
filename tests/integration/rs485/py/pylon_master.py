#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A Pylontech LV RS485 master (the inverter's side of inverter-rs485.md section 1) on
python3-serial. Builds every request of section 1.5 from the section 1.2 frame rules (its own
LCHKSUM/CHKSUM code, independent of packbridge's), sends them one by one, and prints one JSON
object: per request the raw reply, whether its checksums verify, and the decoded fields
(decoding as python-pylontech does).

  pylon_master.py PORT [--adr 2] [--timeout 1.0] [--only 42,92]
"""
import argparse
import json
import sys

import serial


def lchksum(lenid):
    s = (lenid & 0xF) + ((lenid >> 4) & 0xF) + ((lenid >> 8) & 0xF)
    return (~s + 1) & 0xF


def chksum(body):
    return (~sum(body.encode("ascii")) + 1) & 0xFFFF


def build(ver, adr, cid2, info=b""):
    hexinfo = info.hex().upper()
    lenid = len(hexinfo)
    body = "%02X%02X46%02X%04X%s" % (ver, adr, cid2, (lchksum(lenid) << 12) | lenid, hexinfo)
    return "~%s%04X\r" % (body, chksum(body))


def parse(raw):
    """Checks a reply frame; returns (fields dict, info bytes) or raises ValueError."""
    if not raw.startswith("~") or not raw.endswith("\r"):
        raise ValueError("no SOI/EOI")
    body, ck = raw[1:-5], raw[-5:-1]
    if int(ck, 16) != chksum(body):
        raise ValueError("CHKSUM %s, expected %04X" % (ck, chksum(body)))
    length = int(body[8:12], 16)
    lenid = length & 0xFFF
    if (length >> 12) != lchksum(lenid):
        raise ValueError("LCHKSUM")
    info = bytes.fromhex(body[12:])
    if len(info) * 2 != lenid:
        raise ValueError("LENID %d vs %d chars" % (lenid, len(info) * 2))
    return {"ver": int(body[0:2], 16), "adr": int(body[2:4], 16), "cid1": int(body[4:6], 16),
            "rtn": int(body[6:8], 16)}, info


class Reader:
    def __init__(self, b):
        self.b, self.i = b, 0

    def u(self, n):
        v = int.from_bytes(self.b[self.i:self.i + n], "big")
        self.i += n
        return v

    def s(self, n):
        v = int.from_bytes(self.b[self.i:self.i + n], "big", signed=True)
        self.i += n
        return v

    def text(self, n):
        v = self.b[self.i:self.i + n].decode("ascii").rstrip()
        self.i += n
        return v


def module(r):
    m = {"cells_mv": [r.s(2) for _ in range(r.u(1))]}
    m["temps_dc"] = [r.s(2) - 2731 for _ in range(r.u(1))]
    m["current_da"] = r.s(2)
    m["voltage_mv"] = r.u(2)
    rm1 = r.u(2)
    user = r.u(1)
    fcc1 = r.u(2)
    m["cycles"] = r.u(2)
    if user == 4:
        m["remaining_mah"], m["full_mah"] = r.u(3), r.u(3)
    else:
        m["remaining_mah"], m["full_mah"] = rm1, fcc1
    return m


def alarm_block(r):
    """One 0x44 block: M cell states, N temperature states, the three range states, Status1-5."""
    d = {"cell_states": [r.u(1) for _ in range(r.u(1))]}
    d["temp_states"] = [r.u(1) for _ in range(r.u(1))]
    d["charge_current_state"], d["voltage_state"], d["discharge_current_state"] = \
        r.u(1), r.u(1), r.u(1)
    d["status"] = [r.u(1) for _ in range(5)]
    return d


def decode(cid2, info):
    r = Reader(info)
    if cid2 == 0x42:
        # Asked with 0xFF, the second byte is the module count; asked with an ADR, it echoes
        # the ADR and one module follows (python-pylontech get_values / get_values_single).
        flag, cmd = r.u(1), r.u(1)
        count = cmd if cmd_is_count[0] else 1
        return {"infoflag": flag, "command": cmd, "modules": [module(r) for _ in range(count)]}
    if cid2 == 0x44:
        # As 0x42: asked with 0xFF, the second byte is the module count, one block per module.
        flag, cmd = r.u(1), r.u(1)
        count = cmd if cmd_is_count[0] else 1
        return {"dataflag": flag, "command": cmd,
                "modules": [alarm_block(r) for _ in range(count)]}
    if cid2 == 0x47:
        return {"infoflag": r.u(1), "cell_high_mv": r.u(2), "cell_low_mv": r.u(2),
                "cell_under_mv": r.u(2), "charge_high_dc": r.s(2) - 2731,
                "charge_low_dc": r.s(2) - 2731, "charge_limit_da": r.s(2),
                "module_high_mv": r.u(2), "module_low_mv": r.u(2), "module_under_mv": r.u(2),
                "discharge_high_dc": r.s(2) - 2731, "discharge_low_dc": r.s(2) - 2731,
                "discharge_limit_da": r.s(2)}
    if cid2 == 0x51:
        return {"device": r.text(10), "version": [r.u(1), r.u(1)], "manufacturer": r.text(20)}
    if cid2 == 0x92:
        return {"command": r.u(1), "cvl_mv": r.u(2), "dvl_mv": r.u(2), "ccl_da": r.s(2),
                "dcl_da": r.s(2), "status": r.u(1)}
    if cid2 == 0x93:
        return {"command": r.u(1), "serial": r.text(16)}
    if cid2 == 0x60:
        d = {"name": r.text(10), "manufacturer": r.text(20), "version": [r.u(1), r.u(1)]}
        d["barcodes"] = [r.text(16) for _ in range(r.u(1))]
        return d
    if cid2 == 0x61:
        keys = ["voltage_mv", "current_10ma", "soc", "cycles_avg", "cycles_max", "soh_avg",
                "soh_min", "cell_max_mv", "cell_max_pos", "cell_min_mv", "cell_min_pos",
                "temp_avg_dk", "temp_max_dk", "temp_max_pos", "temp_min_dk", "temp_min_pos"]
        sizes = [2, 2, 1, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]
        d = {}
        for k, n in zip(keys, sizes):
            d[k] = r.s(n) if k == "current_10ma" else r.u(n)
        return d
    if cid2 == 0x62:
        return {"alarm1": r.u(1), "alarm2": r.u(1), "protect1": r.u(1), "protect2": r.u(1)}
    if cid2 == 0x63:
        return {"cvl_mv": r.u(2), "dvl_mv": r.u(2), "ccl": r.s(2), "dcl": r.s(2),
                "status": r.u(1)}
    return {}


cmd_is_count = [False]

# Section 1.5: (name, VER, CID2, INFO) in the order of the table.
REQUESTS = [
    ("4F", 0x20, 0x4F, b""), ("4F-ver28", 0x28, 0x4F, b""), ("51", 0x20, 0x51, b""),
    ("42-02", 0x20, 0x42, b"\x02"), ("42-FF", 0x20, 0x42, b"\xff"),
    ("42-02-ver28", 0x28, 0x42, b"\x02"), ("44-02", 0x20, 0x44, b"\x02"),
    ("44-FF", 0x20, 0x44, b"\xff"),
    ("47", 0x20, 0x47, b""), ("92-02", 0x20, 0x92, b"\x02"), ("92-ver28", 0x28, 0x92, b"\x02"),
    ("93-02", 0x20, 0x93, b"\x02"), ("60", 0x20, 0x60, b""), ("61", 0x20, 0x61, b""),
    ("62", 0x20, 0x62, b""), ("63", 0x20, 0x63, b""), ("63-ver28", 0x28, 0x63, b""),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port")
    p.add_argument("--adr", type=lambda s: int(s, 0), default=2)
    p.add_argument("--timeout", type=float, default=1.0)
    p.add_argument("--only", default="")
    a = p.parse_args()
    only = set(a.only.split(",")) if a.only else None

    out = {}
    with serial.Serial(a.port, 9600, bytesize=8, parity="N", stopbits=1,
                       timeout=a.timeout) as port:
        for name, ver, cid2, info in REQUESTS:
            if only and name not in only:
                continue
            if cid2 in (0x42, 0x44, 0x92, 0x93) and info and info != b"\xff":
                info = bytes([a.adr])
            request = build(ver, a.adr, cid2, info)
            port.reset_input_buffer()
            port.write(request.encode("ascii"))
            raw = port.read_until(b"\r").decode("ascii", "replace")
            entry = {"request": request, "reply": raw}
            if not raw:
                entry["error"] = "timeout"
            else:
                try:
                    head, body = parse(raw)
                    entry.update(head)
                    cmd_is_count[0] = cid2 in (0x42, 0x44) and info == b"\xff"
                    entry["decoded"] = decode(cid2, body) if head["rtn"] == 0 else {}
                except (ValueError, IndexError, UnicodeDecodeError) as e:
                    entry["error"] = str(e)
            out[name] = entry
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
