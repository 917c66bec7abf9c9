#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The RS485 inverter side on a second real (emulated) UART: the daemon serves Growatt SPF Modbus
# RTU on /dev/ttyS2, mbpoll on the host's end of that UART plays the inverter and reads the
# status block (0x0010-0x0029).
. "$(dirname "$0")/lib.sh"
config "{
  \"bus\": { \"device\": \"$(g 'test -e /dev/ttyUSB0 && echo /dev/ttyUSB0 || echo /dev/ttyS1')\", \"addresses\": \"0-3\", \"mode\": \"master\" },
  \"inverter\": { \"brand\": \"growatt-spf-485\", \"rs485\": { \"device\": \"/dev/ttyS2\" } },
  \"status\": { \"enabled\": true, \"path\": \"/run/packbridge/status.json\" }
}"
GT=60 g 'systemctl restart packbridge' || fail "restart with the Growatt RS485 config failed"
wait_until 90 "4 packs counted" 'systemctl show -p StatusText --value packbridge | grep -q "packs 4/4"'
inv=$(cat "$STATE/inverter-pty")
out=$(timeout 30 mbpoll -m rtu -b 9600 -P none -a 1 -0 -r 16 -c 26 -t 4 -1 "$inv" 2>&1) || { echo "$out"; fail "mbpoll got no answer over ttyS2"; }
echo "$out" | grep '^\['
regs=$(grep -c '^\[' <<<"$out")
[ "$regs" = 26 ] || fail "mbpoll read $regs registers, want 26"
soc=$(sed -n 's/^\[21\]:[[:space:]]*\([0-9]*\).*/\1/p' <<<"$out")
st=$(status_text)
want=$(sed -n 's/.*SOC \([0-9]*\)\..*/\1/p' <<<"$st")
echo "register 0x15 (SOC %): $soc; StatusText: $st"
[ -n "$soc" ] && [ "$soc" -ge $((want - 1)) ] && [ "$soc" -le $((want + 1)) ] || fail "SOC register $soc vs status $want"
ok "mbpoll (host) read the Growatt block from the guest's ttyS2"
config "$CONFIG_CAN32"; GT=60 g 'systemctl restart packbridge'
