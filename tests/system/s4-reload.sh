#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 4: edit the config (protocol 32 -> 16), `systemctl reload` -> the frames change, same
# MainPID; an invalid edit + reload -> the frames continue unchanged and the journal names the field.
. "$(dirname "$0")/lib.sh"
pid=$(main_pid)
ids32=$(can_ids); echo "protocol 32 identifiers: $(echo $ids32)"
[ -n "$ids32" ] || fail "no frames before the reload"
config "${CONFIG_CAN32/\"protocol\": 32/\"protocol\": 16}"
g 'systemctl reload packbridge' || fail "reload failed"
sleep 2
ids16=$(can_ids); echo "protocol 16 identifiers: $(echo $ids16)"
[ -n "$ids16" ] || fail "no frames after the reload"
[ "$ids16" != "$ids32" ] || fail "the frames did not change with the protocol"
[ "$(main_pid)" = "$pid" ] || fail "MainPID changed on reload ($pid -> $(main_pid))"
ok "reload 32 -> 16: frames changed, MainPID $pid kept"
since=$(guest_now)
config "${CONFIG_CAN32/\"protocol\": 32/\"protocol\": 77}"
g 'systemctl reload packbridge' || fail "reload (invalid) failed"
wait_until 30 "the journal names the invalid field" \
    "journalctl -u packbridge --since '$since' -o cat | grep -i 'protocol' | grep -qi -e invalid -e unknown -e keep -e kept"
journal_since "$since" | tail -5
ids=$(can_ids)
[ "$ids" = "$ids16" ] || fail "after an invalid reload the frames changed: $(echo $ids)"
[ "$(main_pid)" = "$pid" ] && [ "$(g 'systemctl is-active packbridge')" = active ] || fail "the daemon did not survive an invalid reload"
ok "invalid reload: old frames continue, field named in the journal"
config "$CONFIG_CAN32"; g 'systemctl reload packbridge'
