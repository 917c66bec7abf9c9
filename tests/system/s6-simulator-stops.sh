#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 6: the packs' simulator (host side of ttyS1) stops -> warnings (not one per poll),
# safe-state frames; it comes back -> recovery; all in the journal.
. "$(dirname "$0")/lib.sh"
wait_until 60 "4 packs counted" 'systemctl show -p StatusText --value packbridge | grep -q "packs 4/4"'
since=$(guest_now)
kill "$(cat "$STATE/sim.pid")"
wait_until 90 "safe state after the packs went silent" 'systemctl show -p StatusText --value packbridge | grep -q "SAFE STATE"'
ok "StatusText: $(status_text)"
# The last warning of the sequence (pack offline, quorum lost, then bus_lost after comms_loss_s
# 10 s); from then on the silence must not add a line: 8 s cover several polls and a reprobe of
# the offline packs (reprobe_interval_s 5).
wait_until 60 "bus_lost raised" \
    "journalctl -u packbridge --since '$since' -p warning -o cat | grep -q 'raised: bus_lost'"
w1=$(g "journalctl -u packbridge --since '$since' -p warning -o cat | wc -l")
sleep 8
w2=$(g "journalctl -u packbridge --since '$since' -p warning -o cat | wc -l")
g "journalctl -u packbridge --since '$since' -p warning -o cat"
[ "$w1" -ge 1 ] || fail "no warning when the packs went silent"
[ "$w2" = "$w1" ] || fail "warnings keep coming while silent ($w1 -> $w2 in 10 s)"
ok "$w1 warning line(s), not repeated"
# Safe state on the wire: Pylon 0x351 carries CCL (bytes 2-3) and DCL (4-5): both zero.
frame=$(g "timeout 4 candump -L -n 1 can1,351:7FF" | awk '{print $3}')
echo "0x351 in safe state: $frame"
[[ "$frame" =~ ^351#....00000000 ]] || fail "0x351 does not carry zero CCL/DCL in safe state: $frame"
"$SYS_HERE/run-system-vm" start-sim "$STATE"
wait_until 90 "recovery: 4 packs counted, no safe state" \
    'systemctl show -p StatusText --value packbridge | grep -v "SAFE" | grep -q "packs 4/4"'
journal_since "$since" | tail -8
ok "recovered: $(status_text)"
