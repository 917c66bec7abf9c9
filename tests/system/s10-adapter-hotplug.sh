#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 13 part 3, "the RS485 adapter unplugged at boot": the config names /dev/ttyUSB0, which does
# not exist; `systemctl start` must return promptly (READY=1 in safe state, not the 90 s start
# timeout and a restart loop), STATUS= says it waits for the adapter, the journal says it once.
# Then a USB-RS485 adapter is hot-plugged: qemu's usb-serial (an FTDI FT232) on the xHCI controller
# through QMP, the guest's ftdi_sio creates /dev/ttyUSB0, and the packs behind it are counted.
. "$(dirname "$0")/lib.sh"
g 'test ! -e /dev/ttyUSB0' || fail "/dev/ttyUSB0 exists before the hot-plug"
GT=60 g 'systemctl stop packbridge'
config "${CONFIG_CAN32/\/dev\/ttyS1/\/dev\/ttyUSB0}"
since=$(guest_now)
t0=$SECONDS
GT=150 g 'systemctl start packbridge' || fail "systemctl start with the adapter absent failed"
measured "systemctl start with the pack-bus adapter absent: $((SECONDS - t0)) s"
[ $((SECONDS - t0)) -lt 60 ] || fail "systemctl start took $((SECONDS - t0)) s: READY waited for the adapter"
[ "$(g 'systemctl is-active packbridge')" = active ] || fail "not active with the adapter absent"
st=$(status_text); echo "StatusText: $st"
grep -q 'SAFE STATE' <<<"$st" && grep -q 'waiting for the pack-bus adapter' <<<"$st" ||
    fail "StatusText does not say safe state + waiting for the adapter: $st"
sleep 6  # retries at 0.1, 0.3, 0.7, 1.5, 3.1 s...: quiet ones
# The daemon's own lines (check-config, ExecStartPre=, warns once too and dumps the config).
pid=$(main_pid)
n=$(g "journalctl _PID=$pid --since '$since' -o cat | grep -ci ttyUSB0" || true)
g "journalctl -u packbridge --since '$since' -o cat | grep -i -e 'ttyUSB0.*No such' -e 'ttyUSB0.*not exist'" || true
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "the absent adapter is logged $n times (want once)"
restarts=$(g 'systemctl show -p NRestarts --value packbridge')
[ "$restarts" = 0 ] || fail "the unit restarted $restarts times while the adapter was absent"
ok "active in safe state while /dev/ttyUSB0 is absent, said once"

# Hot-plug: a pty chardev for the adapter's far end, where a second packbridge-sim serves 4 packs.
kill "$(cat "$STATE/sim.pid")" 2>/dev/null || true
pty=$(qmp chardev-add '{"id":"usbrs485","backend":{"type":"pty","data":{}}}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["pty"])')
echo "$pty" > "$STATE/packbus-pty"
"$SYS_HERE/run-system-vm" start-sim "$STATE"
qmp device_add '{"driver":"usb-serial","chardev":"usbrs485","id":"usbrs485","bus":"xhci.0"}' >/dev/null
wait_until 60 "/dev/ttyUSB0 appears (ftdi_sio)" 'test -c /dev/ttyUSB0'
g 'dmesg | grep -i -e ftdi -e ttyUSB0 | tail -3' || true
wait_until 90 "the packs behind the hot-plugged adapter are counted" \
    'systemctl show -p StatusText --value packbridge | grep -v SAFE | grep -q "packs 4/4"'
[ "$(g 'systemctl show -p NRestarts --value packbridge')" = 0 ] || fail "restarted during the hot-plug"
ok "hot-plugged USB adapter: $(status_text)"
journal_since "$since" | tail -6
