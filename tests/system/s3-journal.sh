#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 3: the journal. PRIORITY matches the level, and the lines about one pack carry
# structured fields, so that `journalctl -u packbridge PACKBRIDGE_PACK=3` answers "what happened to
# pack 3": pack 3 goes silent on the (host) simulator, then answers again.
. "$(dirname "$0")/lib.sh"
# Scenario 2 restarted the daemon and ends at its first frame, so discovery may still be
# running: its "pack 3 online" line carries PACKBRIDGE_PACK=3 and an event too. Start from a
# settled bank and wait for the loss itself.
wait_until 90 "all four packs counted before pack 3 is silenced" \
    'systemctl show -p StatusText --value packbridge | grep -q "packs 4/4"'
since=$(guest_now)
sim "silence 3"
wait_until 90 "a journal entry with PACKBRIDGE_PACK=3 and PACKBRIDGE_EVENT=pack_lost" \
    "journalctl -u packbridge --since '$since' PACKBRIDGE_PACK=3 PACKBRIDGE_EVENT=pack_lost -o json | grep -q pack_lost"
sim "restore 3"
wait_until 90 "pack 3 counted again" 'systemctl show -p StatusText --value packbridge | grep -q "packs 4/4"'
sleep 2
g "journalctl -u packbridge --since '$since' -o json" > "$STATE/s3-journal.json" || fail "journalctl -o json"
g "journalctl -u packbridge PACKBRIDGE_PACK=3 --no-pager -o verbose --since '$since'" > "$STATE/s3-pack3.txt" || true
/usr/bin/python3 - "$STATE/s3-journal.json" <<'PY' || fail "journal fields (above)"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
daemon = [e for e in entries if e.get("SYSLOG_IDENTIFIER") == "packbridge"]
pack3 = [e for e in daemon if e.get("PACKBRIDGE_PACK") == "3"]
bad = []
if not pack3: bad.append("no entry with PACKBRIDGE_PACK=3")
events = {e.get("PACKBRIDGE_EVENT") for e in pack3}
print("pack 3 entries:")
for e in pack3:
    print("  PRIORITY=%s PACKBRIDGE_EVENT=%s PACKBRIDGE_REASON=%s: %s" % (e.get("PRIORITY"), e.get("PACKBRIDGE_EVENT"), e.get("PACKBRIDGE_REASON"), e.get("MESSAGE")))
if "pack_lost" not in events: bad.append("no PACKBRIDGE_EVENT=pack_lost for pack 3 (events: %s)" % sorted(filter(None, events)))
lost = [e for e in pack3 if e.get("PACKBRIDGE_EVENT") == "pack_lost"]
if lost and lost[0].get("PRIORITY") != "4": bad.append("pack_lost has PRIORITY=%s, want 4 (warning)" % lost[0].get("PRIORITY"))
# Info lines are PRIORITY=6 and warnings 4: the journal sink maps the level, not a constant.
prios = {e.get("PRIORITY") for e in daemon}
if not {"4", "6"} <= prios: bad.append("expected PRIORITY 4 and 6 among the daemon's lines, got %s" % sorted(prios))
reasons = [e for e in daemon if e.get("PACKBRIDGE_REASON")]
print("entries with PACKBRIDGE_REASON:", len(reasons))
for e in reasons[:3]: print("  PACKBRIDGE_REASON=%s: %s" % (e["PACKBRIDGE_REASON"], e.get("MESSAGE")))
if not reasons: bad.append("no entry carries PACKBRIDGE_REASON (limits, safe state)")
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
ok "structured fields and priorities"
