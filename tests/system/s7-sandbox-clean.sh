#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 7: after everything above ran (install, start, reload, watchdog, crash, silent packs,
# hot-plug, Modbus), the whole journal of this boot has no SIGSYS, no seccomp or audit denial, no
# EACCES/EPERM: the sandbox never got in the daemon's way. And `systemd-analyze security` on the
# running unit rates it 2.0 or below.
. "$(dirname "$0")/lib.sh"
[ "$(g 'systemctl is-active packbridge')" = active ] || fail "packbridge not running"
pattern='SIGSYS|seccomp|audit.*(denied|type=1326)|apparmor="DENIED"|EACCES|EPERM|Permission denied|Operation not permitted'
# Left out: qemu-ga's log of the commands it runs (this grep's own text) and systemd's banner
# ("+SECCOMP" is a build option).
hits=$(g "journalctl -b --no-pager -o short-monotonic | grep -v -e ' qemu-ga\\[' -e 'running in system mode' | grep -E -i '$pattern'" || true)
if [ -n "$hits" ]; then echo "$hits"; fail "the journal shows a denial (above)"; fi
n=$(g 'journalctl -b --no-pager -o cat | wc -l')
ok "no SIGSYS/seccomp/audit/EACCES/EPERM in the $n journal lines of this boot"
sec=$(GT=120 g 'systemd-analyze security --no-pager packbridge' 2>&1) || true
echo "$sec" | tail -3
score=$(sed -n 's/.*Overall exposure level for packbridge.service: \([0-9.]*\).*/\1/p' <<<"$sec")
[ -n "$score" ] || fail "no exposure level from systemd-analyze security"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score > 2.0"
ok "systemd-analyze security on the running unit: $score"
measured "systemd-analyze security packbridge (running): $score"
