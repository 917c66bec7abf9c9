#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenario 9: installing a rebuilt .deb with a higher version keeps the edited conffile and
# restarts the service; `apt purge` removes the user, the config and the unit's state.
. "$(dirname "$0")/lib.sh"
deb=$(cat "$STATE/deb")
v=$(dpkg-deb -f "$deb" Version)
# A rebuilt package with a higher version (scripts/package --version, run by the boot fixture
# while the guest booted).
up=$STATE/packbridge_up.deb
[ "$(dpkg-deb -f "$up" Version)" = "$v+systest1" ] || fail "no upgrade package $up"
put "$up" /root/packbridge_up.deb
edited=$(g 'md5sum < /etc/packbridge/packbridge.json')
g 'systemctl is-active -q packbridge' || GT=120 g 'systemctl start packbridge'
pid=$(main_pid)
t0=$SECONDS
GT=300 g 'cd /root && DEBIAN_FRONTEND=noninteractive apt install -y ./packbridge_up.deb 2>&1 | tail -3' || fail "upgrade failed"
measured "apt install (upgrade) in the guest: $((SECONDS - t0)) s"
[ "$(g "dpkg-query -W -f='\${Version}' packbridge")" = "$v+systest1" ] || fail "version not upgraded"
[ "$(g 'md5sum < /etc/packbridge/packbridge.json')" = "$edited" ] || fail "the edited conffile was replaced"
wait_until 60 "active again" 'systemctl is-active -q packbridge'
[ "$(main_pid)" != "$pid" ] || fail "the service was not restarted by the upgrade (MainPID $pid)"
ok "upgrade to $v+systest1: conffile kept, restarted ($pid -> $(main_pid))"
t0=$SECONDS
GT=300 g 'DEBIAN_FRONTEND=noninteractive apt purge -y packbridge 2>&1 | tail -3' || fail "purge failed"
measured "apt purge in the guest: $((SECONDS - t0)) s"
g '! getent passwd packbridge' || fail "user packbridge left"
g '! getent group packbridge' || fail "group packbridge left"
g 'test ! -e /etc/packbridge' || fail "/etc/packbridge left"
g 'test ! -e /lib/systemd/system/packbridge.service' || fail "unit file left"
g '! ls /etc/systemd/system/multi-user.target.wants/ | grep -q packbridge' || fail "enablement left"
g '! ls /var/lib/systemd/deb-systemd-helper-enabled/ -R 2>/dev/null | grep -q packbridge' || fail "deb-systemd-helper state left"
[ "$(g 'systemctl show -p LoadState --value packbridge')" = not-found ] || fail "systemd still knows the unit"
g '! pgrep -x packbridge' || fail "packbridge still running after purge"
ok "purge: user, group, config, unit and its state gone"
