#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""One Modbus RTU transaction with Debian's python3-pymodbus (3.0.x API), printed as JSON.

Plays the inverter in the RS485 end-to-end tests:
  modbus_master.py PORT read  FC START COUNT [--slave N]   FC 3 (holding) or 4 (input)
  modbus_master.py PORT write START V1 [V2 ...] [--slave N] FC 0x10 (write multiple)
Output: {"ok": true, "registers": [...]} | {"ok": true, "written": {"address": A, "count": N}}
      | {"ok": false, "exception": {"function_code": F, "code": C}} | {"ok": false, "error": "..."}
"""
import argparse
import json
import sys

import pymodbus
from pymodbus.client import ModbusSerialClient
from pymodbus.pdu import ExceptionResponse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port")
    p.add_argument("op", choices=["read", "write"])
    p.add_argument("args", nargs="+", type=lambda s: int(s, 0))
    p.add_argument("--slave", type=lambda s: int(s, 0), default=1)
    p.add_argument("--baud", type=int, default=9600)
    p.add_argument("--timeout", type=float, default=1.0)
    a = p.parse_args()

    client = ModbusSerialClient(method="rtu", port=a.port, baudrate=a.baud, parity="N",
                                stopbits=1, bytesize=8, timeout=a.timeout, retries=0)
    if not client.connect():
        print(json.dumps({"ok": False, "error": "cannot open " + a.port}))
        return 1
    try:
        if a.op == "read":
            fc, start, count = a.args
            fn = client.read_holding_registers if fc == 3 else client.read_input_registers
            r = fn(start, count, slave=a.slave)
        else:
            start, values = a.args[0], a.args[1:]
            r = client.write_registers(start, values, slave=a.slave)
    except Exception as e:  # pymodbus raises on timeouts in some paths: report, do not crash
        print(json.dumps({"ok": False, "error": type(e).__name__ + ": " + str(e)}))
        return 0
    finally:
        client.close()

    if isinstance(r, ExceptionResponse):
        out = {"ok": False, "exception": {"function_code": r.function_code,
                                          "code": r.exception_code}}
    elif r is None or (hasattr(r, "isError") and r.isError()):
        out = {"ok": False, "error": str(r)}
    elif a.op == "read":
        out = {"ok": True, "registers": list(r.registers)}
    else:
        out = {"ok": True, "written": {"address": r.address, "count": r.count}}
    out["pymodbus"] = pymodbus.__version__
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
