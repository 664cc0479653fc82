#!/usr/bin/env bash
# Makes sure Debian's newsboat is at hand for the sync test: a real Google Reader API client
# (FeedHQ mode) that no one here wrote, pointed at the app on loopback. Installs the package
# when run as root; otherwise says what to run. Never fails the build itself: without newsboat
# the test skips locally and fails in CI (CI=true), with the reason.
set -euo pipefail

if command -v newsboat >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-newsboat: no newsboat found; installing Debian's newsboat package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq newsboat >/dev/null
    command -v newsboat >/dev/null 2>&1 && echo "ensure-newsboat: installed" >&2
    exit 0
fi

cat >&2 <<'MSG'
ensure-newsboat: no newsboat found. The Google Reader API sync test needs Debian's newsboat:
    sudo apt-get update && sudo apt-get install -y newsboat
Without it that test is skipped (CI: failed).
MSG
