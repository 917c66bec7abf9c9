#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 8: inverter.can.configure = true. With the documented drop-in (CAP_NET_ADMIN) the daemon
# sets bitrate and restart-ms on the SJA1000 from inside the sandbox, brings it up and sends;
# without the drop-in it fails with a clear message naming the drop-in.
. "$(dirname "$0")/lib.sh"
conf=${CONFIG_CAN32/\"bitrate\": 500000/\"bitrate\": 500000, \"configure\": true, \"restart_ms\": 200}
# can0 was brought up by systemd-networkd (80-can0.network, as docs/service.md recommends): hand it
# over to the daemon, down and at another bitrate, so that the daemon's settings are observable.
GT=60 g 'systemctl stop packbridge; rm /etc/systemd/network/80-can0.network; systemctl restart systemd-networkd; sleep 1; ip link set can0 down; ip link set can0 type can bitrate 125000 restart-ms 0'
config "$conf"
g 'mkdir -p /etc/systemd/system/packbridge.service.d && cp /usr/share/doc/packbridge/examples/systemd/packbridge-can-configure.conf /etc/systemd/system/packbridge.service.d/can-configure.conf && systemctl daemon-reload'
GT=120 g 'systemctl start packbridge' || fail "start with the drop-in failed"
wait_until 30 "can0 up at 500000 bit/s, restart-ms 200" \
    'ip -d link show can0 | grep -q "state UP\|state ERROR-ACTIVE" && ip -d link show can0 | grep -q "bitrate 500000" && ip -d link show can0 | grep -q "restart-ms 200"'
g 'ip -d link show can0 | grep -e can -e bitrate'
ids=$(can_ids); [ -n "$ids" ] || fail "no frames after the daemon configured can0"
ok "configured by the daemon (CAP_NET_ADMIN drop-in), frames: $(echo $ids)"
since=$(guest_now)
GT=60 g 'systemctl stop packbridge; rm /etc/systemd/system/packbridge.service.d/can-configure.conf; systemctl daemon-reload; ip link set can0 down'
GT=120 g 'systemctl start packbridge' || true
wait_until 60 "the journal names the drop-in" \
    "journalctl -u packbridge --since '$since' -o cat | grep -q 'packbridge-can-configure.conf'"
journal_since "$since" | grep -i -e can-configure -e CAP_NET_ADMIN | head -3
ok "without the drop-in: the error names it"
GT=60 g 'systemctl stop packbridge; ip link set can0 type can bitrate 500000 restart-ms 100; ip link set can0 up'
config "$CONFIG_CAN32"; GT=120 g 'systemctl start packbridge'
