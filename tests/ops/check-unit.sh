#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks systemd/packbridge.service the way systemd will see it, without installing anything:
#   1. systemd-analyze verify on a copy whose /usr/bin/packbridge points at the built binary
#      (verify refuses a unit whose ExecStart= binary does not exist), alone and with the
#      CAP_NET_ADMIN drop-in, and with the monitoring (IP) drop-in next to it (systemd reads
#      <unit>.d/ from the unit's directory);
#   2. systemd-analyze security --offline=true on all three: the exposure level must stay <= MAX
#      (2.0), the default unit must hold no capabilities and open no IP socket, the monitoring
#      drop-in must keep an IP allow list.
# usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY
# Exit 77 (ctest: skipped) when systemd-analyze is missing or too old for --offline (< 250).
set -euo pipefail

src=${1:?usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY}
bin=${2:?usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY}
max=${PACKBRIDGE_MAX_EXPOSURE:-2.0}
unit=$src/packbridge.service
dropin=$src/packbridge-can-configure.conf
monitoring=$src/packbridge-monitoring.conf

if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze not installed"; exit 77
fi
version=$(systemd-analyze --version | awk 'NR==1 {print $2}')
if [ "${version%%.*}" -lt 250 ] 2>/dev/null; then
    echo "SKIP: systemd $version has no 'security --offline'"; exit 77
fi
[ -x "$bin" ] || { echo "FAIL: $bin is not an executable (build packbridge first)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# $1: directory holding packbridge.service (and maybe packbridge.service.d/), $2: label.
check() {
    local dir=$1 label=$2 out score
    # verify prints warnings (unknown keys, bad values, missing binaries) and still exits 0 for
    # most of them, so any line about our files is a failure too.
    if ! out=$(systemd-analyze verify "$dir/packbridge.service" 2>&1); then
        fail "$label: systemd-analyze verify failed:"; echo "$out"
    elif grep -q packbridge <<<"$out"; then
        fail "$label: systemd-analyze verify warns:"; echo "$out"
    else
        echo "ok: $label: systemd-analyze verify is clean"
    fi

    out=$(systemd-analyze security --offline=true "$dir/packbridge.service" 2>&1) || true
    score=$(sed -n 's/.*Overall exposure level for packbridge\.service: \([0-9.]*\).*/\1/p' <<<"$out")
    if [ -z "$score" ]; then
        fail "$label: no exposure level in systemd-analyze security output:"; echo "$out"
        return
    fi
    echo "$label: exposure level $score (max $max)"
    if awk -v s="$score" -v m="$max" 'BEGIN {exit !(s > m)}'; then
        fail "$label: exposure level $score > $max; the failing checks:"
        grep '✗' <<<"$out" || true
    fi
    # Remaining exposure, for the log.
    grep '✗' <<<"$out" | awk '{printf "    %s %s\n", $2, $NF}' || true
    LAST_OUT=$out
}

mkdir -p "$tmp/default" "$tmp/can-configure/packbridge.service.d" "$tmp/monitoring/packbridge.service.d"
sed "s#/usr/bin/packbridge#$bin#g" "$unit" >"$tmp/default/packbridge.service"
cp "$tmp/default/packbridge.service" "$tmp/can-configure/"
cp "$dropin" "$tmp/can-configure/packbridge.service.d/can-configure.conf"
cp "$tmp/default/packbridge.service" "$tmp/monitoring/"
cp "$monitoring" "$tmp/monitoring/packbridge.service.d/monitoring.conf"

LAST_OUT=
check "$tmp/default" "default unit"
if grep -Eq '✗ (AmbientCapabilities|CapabilityBoundingSet)=' <<<"$LAST_OUT"; then
    fail "default unit: holds capabilities (they belong in packbridge-can-configure.conf):"
    grep -E '✗ (AmbientCapabilities|CapabilityBoundingSet)=' <<<"$LAST_OUT"
fi
# The default unit opens no IP socket: MQTT and /metrics need the monitoring drop-in.
if [ -n "$LAST_OUT" ] && ! grep -q '✓ RestrictAddressFamilies=~AF_(INET|INET6)' <<<"$LAST_OUT"; then
    fail "default unit: allows IP sockets (they belong in packbridge-monitoring.conf)"
fi

LAST_OUT=
check "$tmp/can-configure" "unit + packbridge-can-configure.conf"
if [ -n "$LAST_OUT" ] && ! grep -q '✗ CapabilityBoundingSet=~CAP_NET_ADMIN' <<<"$LAST_OUT"; then
    fail "the can-configure drop-in does not grant CAP_NET_ADMIN"
fi

LAST_OUT=
check "$tmp/monitoring" "unit + packbridge-monitoring.conf"
if [ -n "$LAST_OUT" ] && ! grep -q '✗ RestrictAddressFamilies=~AF_(INET|INET6)' <<<"$LAST_OUT"; then
    fail "the monitoring drop-in does not allow IP sockets"
fi
# "allow list with non-localhost entries" (the LAN ranges) is the expected remark; no allow list
# at all would be the internet.
if [ -n "$LAST_OUT" ] && ! grep -Eq '(✓ IPAddressDeny=|✗ IPAddressDeny=.*allow list with)' <<<"$LAST_OUT"; then
    fail "the monitoring drop-in opens IP to any address (keep an IPAddressAllow= list)"
    grep 'IPAddress' <<<"$LAST_OUT" || true
fi

[ "$failed" -eq 0 ] && echo "PASS" || exit 1
