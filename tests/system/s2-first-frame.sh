#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 2: frames on can0 (seen on can1 across the emulated SJA1000 bus) within a measured time
# after `systemctl start`; prints the time from the start job to the first frame, and from the
# guest kernel's boot (uptime) for reference.
. "$(dirname "$0")/lib.sh"
GT=60 g 'systemctl stop packbridge'
g 'rm -f /root/first.log; (timeout 60 candump -ta -n 1 can1 > /root/first.log 2>&1 &) ; sleep 0.5'
t0=$(g 'date +%s.%N')
GT=120 g 'systemctl start packbridge' || fail "systemctl start failed"
wait_until 60 "a frame on the CAN bus after start" 'test -s /root/first.log'
line=$(g 'cat /root/first.log')
t1=$(awk '{gsub(/[()]/, "", $1); print $1}' <<<"$line")
ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "first frame: $line"
measured "systemctl start -> first CAN frame on the bus: ${ms} ms"
[ "$ms" -ge 0 ] || fail "first frame before start?"
active=$(g 'systemctl show -p ActiveEnterTimestampMonotonic --value packbridge')
exec_start=$(g 'systemctl show -p ExecMainStartTimestampMonotonic --value packbridge')
measured "ExecStart -> READY=1 (unit active): $(( (active - exec_start) / 1000 )) ms"
g 'systemd-analyze time' || true
