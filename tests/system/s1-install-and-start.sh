#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 1: `apt install ./packbridge_*.deb` as docs/service.md says; the unit is enabled; after
# the config is written, `systemctl start` returns once READY=1 came (Type=notify), the unit is
# active, and StatusText carries the one-line state from STATUS= (packs counted, SOC, CCL/DCL),
# updated as it changes.
. "$(dirname "$0")/lib.sh"
deb=$(basename "$(cat "$STATE/deb")")
say "apt install ./$deb (no network in the guest: its Depends are preinstalled)"
t0=$SECONDS
GT=300 g "cd /root && DEBIAN_FRONTEND=noninteractive apt install -y ./$deb 2>&1" | tail -5 ||
    fail "apt install ./$deb failed"
measured "apt install ./$deb in the guest: $((SECONDS - t0)) s"
# procps (ExecReload's /bin/kill) is there only because the .deb Depends on it: the image holds
# its own list plus the .deb's Depends (keyed by them), and the guest has no network.
g 'dpkg-query -W -f="\${Status}" procps | grep -q "install ok installed" && test -x /bin/kill' ||
    fail "/bin/kill (procps) missing after installing the .deb"
[ "$(g 'systemctl is-enabled packbridge')" = enabled ] || fail "not enabled after install"
ok "is-enabled: enabled"
g 'getent passwd packbridge' >/dev/null || fail "no packbridge user"
config "$CONFIG_CAN32"
g 'packbridge check-config --config /etc/packbridge/packbridge.json' >/dev/null || fail "check-config rejects the test config"
# Type=notify: start returns only after READY=1. The CAN socket and the UART are open by then.
GT=120 g 'systemctl start packbridge' || fail "systemctl start packbridge failed"
[ "$(g 'systemctl is-active packbridge')" = active ] || fail "not active after start"
ok "is-active: active"
g 'ls -l /proc/$(systemctl show -p MainPID --value packbridge)/fd 2>/dev/null | grep -q ttyS1' ||
    fail "READY came but the daemon has no /dev/ttyS1 open"
ok "READY=1 came with /dev/ttyS1 open"
first=$(status_text)
echo "StatusText after start: $first"
[ -n "$first" ] || fail "StatusText empty: no STATUS= sent"
[ "$(printf '%s' "$first" | wc -l)" -eq 0 ] || fail "StatusText spans lines"
wait_until 60 "StatusText shows 4 packs counted with SOC, CCL and DCL" \
    'systemctl show -p StatusText --value packbridge | grep -E "packs 4/4, SOC [0-9.]+ %, CCL [0-9.]+ A, DCL [0-9.]+ A"'
ok "StatusText: $(status_text)"
# The simulator's SOC evolves: the line follows.
s1=$(status_text)
sim "soc 0 20"; sim "soc 1 20"; sim "soc 2 20"; sim "soc 3 20"
wait_until 60 "StatusText follows the SOC change" \
    "[ \"\$(systemctl show -p StatusText --value packbridge)\" != '$s1' ] && systemctl show -p StatusText --value packbridge | grep -q 'SOC 2[0-9.]* %'"
ok "StatusText updated: $(status_text)"
# The status needs no sudo (docs/service.md: `packbridge status`).
out=$(g 'runuser -u nobody -- packbridge status 2>&1') || fail "packbridge status as an ordinary user: $out"
ok "packbridge status as user nobody works"
