#!/usr/bin/env bash
# ensure-chromium.sh: make sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
#
# Installed already: prints the version and exits 0.
# Missing, running as root: apt-get update && apt-get install -y chromium, waiting for the dpkg
#   lock if another apt/dpkg is running (up to 15 minutes) rather than failing.
# Missing, not root: prints the command to run and exits 1.
#
# The browser tests drive this Chromium through playwright-core (executablePath); they never
# download a browser of their own (that is blocked on these machines).
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
LOCK_TIMEOUT=${LOCK_TIMEOUT:-900}

if [ -x "$CHROMIUM" ]; then
	"$CHROMIUM" --version 2>/dev/null || echo "chromium at $CHROMIUM"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	cat >&2 <<MSG
ensure-chromium: $CHROMIUM is missing; the browser tests need Debian's Chromium.
Install it as root, then run make test again:

    sudo apt-get update && sudo apt-get install -y chromium

MSG
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# DPkg::Lock::Timeout makes apt wait for a running apt/dpkg (another install, unattended
# upgrades) instead of failing at once with "Could not get lock".
apt_opts=(-o "DPkg::Lock::Timeout=$LOCK_TIMEOUT")
echo "ensure-chromium: installing Debian's chromium (apt-get; waits up to ${LOCK_TIMEOUT}s for the dpkg lock)"
apt-get "${apt_opts[@]}" update
apt-get "${apt_opts[@]}" install -y chromium
if [ ! -x "$CHROMIUM" ]; then
	echo "ensure-chromium: apt-get install finished but $CHROMIUM is still missing" >&2
	exit 1
fi
"$CHROMIUM" --version
