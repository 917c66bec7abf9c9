#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 5: with a test drop-in shortening WatchdogSec, `kill -STOP` of the main PID makes systemd
# log the watchdog timeout and restart it; `kill -SEGV` is restarted by Restart=on-failure.
. "$(dirname "$0")/lib.sh"
g 'mkdir -p /etc/systemd/system/packbridge.service.d && printf "[Service]\nWatchdogSec=3s\nRestartSec=100ms\n" > /etc/systemd/system/packbridge.service.d/zz-test-watchdog.conf && systemctl daemon-reload && systemctl restart packbridge'
pid=$(main_pid); since=$(guest_now)
g "kill -STOP $pid"
wait_until 60 "systemd logs the watchdog timeout" \
    "journalctl --since '$since' -o cat | grep -q 'packbridge.service: Watchdog timeout'"
wait_until 60 "restarted after the watchdog" \
    "p=\$(systemctl show -p MainPID --value packbridge); [ \"\$p\" != 0 ] && [ \"\$p\" != $pid ] && systemctl is-active -q packbridge"
g "journalctl --since '$since' -o cat | grep 'packbridge.service' | head -6"
ok "watchdog: $pid stopped -> timeout logged -> restarted as $(main_pid)"
pid=$(main_pid); since=$(guest_now)
g "kill -SEGV $pid"
wait_until 60 "restarted after SIGSEGV" \
    "p=\$(systemctl show -p MainPID --value packbridge); [ \"\$p\" != 0 ] && [ \"\$p\" != $pid ] && systemctl is-active -q packbridge"
g "journalctl --since '$since' -o cat | grep 'packbridge.service' | grep -q SEGV" || fail "no SEGV in the journal"
ok "SIGSEGV: restarted by Restart=on-failure as $(main_pid)"
# No restart needed: the daemon keeps pinging every 1.5 s, well within the unit's WatchdogSec again.
g 'rm /etc/systemd/system/packbridge.service.d/zz-test-watchdog.conf && systemctl daemon-reload'
