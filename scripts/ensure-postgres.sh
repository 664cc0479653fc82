#!/usr/bin/env bash
# Makes sure a PostgreSQL server binary is at hand for the store tests, which start their own
# throw-away server (tests/store/conftest.py). Installs Debian's package when run as root;
# otherwise says what to run. Never fails the build itself: without PostgreSQL the tests skip
# locally and fail in CI (CI=true), each with the reason.
set -euo pipefail

find_postgres() {
    command -v postgres 2>/dev/null && return 0
    local candidate
    for candidate in /usr/lib/postgresql/*/bin/postgres /usr/local/bin/postgres; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if found=$(find_postgres); then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: no PostgreSQL server found; installing Debian's postgresql package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    if found=$(find_postgres); then
        echo "ensure-postgres: installed $found" >&2
        exit 0
    fi
    echo "ensure-postgres: installed postgresql, but still no server binary found" >&2
    exit 0
fi

cat >&2 <<'MSG'
ensure-postgres: no PostgreSQL server binary (postgres, initdb, pg_ctl) found.
The store tests need one; install it, e.g. on Debian/Ubuntu:
    sudo apt-get update && sudo apt-get install -y postgresql
(on macOS: brew install postgresql). Without it the PostgreSQL tests are skipped (CI: failed).
MSG
exit 0
