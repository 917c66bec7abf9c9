# SPDX-License-Identifier: Apache-2.0
# Sourced by the scenario scripts of tests/system (bash). The VM was booted by the ctest fixture
# ("system: boot the Debian guest"); SYSVM_STATE names its state directory.
set -euo pipefail
SYS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${SYSVM_STATE:?SYSVM_STATE: run through ctest -L system}
[ -S "$STATE/qga.sock" ] || { echo "no VM in $STATE (the boot fixture failed?)"; exit 1; }

# g SCRIPT: run a shell script in the guest as root; its output on stdout, its status returned.
g() { "$SYS_HERE/guest" "$STATE" sh --timeout "${GT:-90}" "$1"; }
put() { "$SYS_HERE/guest" "$STATE" put "$1" "$2"; }
qmp() { "$SYS_HERE/guest" "$STATE" qmp "$@"; }
say() { echo "-- $*"; }
# measured TEXT: a figure for the report; scripts/test prints $STATE/measured.txt after the run.
measured() { echo "MEASURED $*"; echo "$*" >> "$STATE/measured.txt"; }

diagnostics() {
    echo "==== diagnostics"
    g 'systemctl status --no-pager packbridge 2>&1 | head -12; echo; journalctl -u packbridge --no-pager -n 40 -o short-monotonic; echo; journalctl -b --no-pager -p warning -n 15 -o short-monotonic' 2>&1 || true
    echo "==== guest console tail"; tr -d '\r' < "$STATE/console.log" | tail -20 || true
    echo "==== packbridge-sim (host) tail"; tail -5 "$STATE/sim.log" 2>/dev/null || true
}
fail() { echo "FAIL: $*"; diagnostics; exit 1; }
ok() { echo "ok:   $*"; }

# wait_until SECONDS DESCRIPTION GUEST-SCRIPT: poll (every 0.5 s) until the script succeeds.
wait_until() {
    local t=$1 what=$2 script=$3 end=$((SECONDS + $1))
    while ! g "$script" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || fail "$what: not within ${t} s"
        sleep 0.5
    done
}

# can_ids [SECONDS]: the sorted distinct CAN identifiers seen on can1 (the other SJA1000 on the
# emulated bus, so the frames crossed it) during SECONDS (default 3: three frame sets of 1 s).
can_ids() { g "timeout ${1:-3} candump -L can1 | awk '{split(\$3, f, \"#\"); print f[1]}' | sort -u" || true; }

# config JSON: install it as /etc/packbridge/packbridge.json in the guest.
config() {
    local f; f=$(mktemp); printf '%s\n' "$1" > "$f"
    put "$f" /root/packbridge.json.new; rm -f "$f"
    g 'cat /root/packbridge.json.new > /etc/packbridge/packbridge.json'
}
main_pid() { g 'systemctl show -p MainPID --value packbridge'; }
status_text() { g 'systemctl show -p StatusText --value packbridge'; }
journal_since() { g "journalctl -u packbridge --no-pager -o cat --since '$1'"; }
guest_now() { g 'date "+%Y-%m-%d %H:%M:%S"'; }
sim() { echo "$1" > "$STATE/sim.ctl"; }  # a control command to the host's packbridge-sim

# The daemon's config for the system tests: packs on the 8250 UART ttyS1, Pylon CAN on can0.
# Shorter timings than the defaults (offline packs reprobed every 5 s instead of 60 s, stale after
# 5 s, comms loss after 10 s instead of 30 s) so that loss and recovery happen within seconds;
# the behaviour checked is the same, only the clock is faster.
CONFIG_CAN32='{
  "bus": { "device": "/dev/ttyS1", "baud": 9600, "addresses": "0-3", "mode": "master",
           "reprobe_interval_s": 5 },
  "inverter": { "link": "can", "protocol": 32, "can": { "interface": "can0", "bitrate": 500000 } },
  "battery": { "charge_voltage_v": 56.0, "discharge_voltage_v": 48.0,
               "pack_charge_current_a": 50, "pack_discharge_current_a": 100, "min_packs": 1,
               "stale_after_s": 5, "comms_loss_s": 10 },
  "log": { "level": "info" },
  "status": { "enabled": true, "path": "/run/packbridge/status.json" }
}'
