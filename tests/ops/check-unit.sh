#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks systemd/packbridge.service the way systemd will see it, without installing anything:
#   1. systemd-analyze verify on a copy whose /usr/bin/packbridge points at the built binary
#      (verify refuses a unit whose ExecStart= binary does not exist), alone and with the
#      CAP_NET_ADMIN drop-in next to it (systemd reads <unit>.d/ from the unit's directory);
#   2. systemd-analyze security --offline=true on both: the exposure level must stay <= MAX
#      (2.0), and the default unit must hold no capabilities.
# usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY
# Exit 77 (ctest: skipped) when systemd-analyze is missing or too old for --offline (< 250).
set -euo pipefail

src=${1:?usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY}
bin=${2:?usage: check-unit.sh SYSTEMD_DIR PACKBRIDGE_BINARY}
max=${PACKBRIDGE_MAX_EXPOSURE:-2.0}
unit=$src/packbridge.service
dropin=$src/packbridge-can-configure.conf

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

mkdir -p "$tmp/default" "$tmp/can-configure/packbridge.service.d"
sed "s#/usr/bin/packbridge#$bin#g" "$unit" >"$tmp/default/packbridge.service"
cp "$tmp/default/packbridge.service" "$tmp/can-configure/"
cp "$dropin" "$tmp/can-configure/packbridge.service.d/can-configure.conf"

LAST_OUT=
check "$tmp/default" "default unit"
if grep -Eq '✗ (AmbientCapabilities|CapabilityBoundingSet)=' <<<"$LAST_OUT"; then
    fail "default unit: holds capabilities (they belong in packbridge-can-configure.conf):"
    grep -E '✗ (AmbientCapabilities|CapabilityBoundingSet)=' <<<"$LAST_OUT"
fi

LAST_OUT=
check "$tmp/can-configure" "unit + packbridge-can-configure.conf"
if [ -n "$LAST_OUT" ] && ! grep -q '✗ CapabilityBoundingSet=~CAP_NET_ADMIN' <<<"$LAST_OUT"; then
    fail "the can-configure drop-in does not grant CAP_NET_ADMIN"
fi

[ "$failed" -eq 0 ] && echo "PASS" || exit 1
