#!/usr/bin/env bash
# Makes sure Debian's Chromium is at hand for the browser tests (Playwright drives
# /usr/bin/chromium; it never downloads a browser of its own). Installs the package when run
# as root; otherwise says what to run. Never fails the build itself: without Chromium the
# browser tests skip locally and fail in CI (CI=true), each with the reason.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: no chromium found; installing Debian's chromium package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    command -v chromium >/dev/null 2>&1 && echo "ensure-chromium: installed" >&2
    exit 0
fi

cat >&2 <<'MSG'
ensure-chromium: no chromium found. The browser tests need Debian's (or any) Chromium:
    sudo apt-get update && sudo apt-get install -y chromium
Without it the browser tests are skipped (CI: failed).
MSG
