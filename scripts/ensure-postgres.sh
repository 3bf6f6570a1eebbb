#!/bin/sh
# Make PostgreSQL's server programs available to the test suite, which starts its own throwaway
# cluster in a temporary folder (tests/pg_cluster.py). As root with apt-get (CI, a fresh machine) it
# installs the system's package quietly; otherwise it says why the PostgreSQL tests will be skipped.
# It never starts or configures a server itself.
set -eu

have_postgres() {
    for bin in /usr/lib/postgresql/*/bin; do
        if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
            return 0
        fi
    done
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

if have_postgres; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: installing PostgreSQL from the system's packages for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq postgresql >>"$log" 2>&1 && have_postgres; then
        rm -f "$log"
        exit 0
    fi
    tail -n 5 "$log" >&2
    rm -f "$log"
    echo "ensure-postgres: PostgreSQL could not be installed; the PostgreSQL tests will be skipped" >&2
    exit 0
fi

echo "ensure-postgres: initdb/pg_ctl not found and not root with apt-get to install them;" \
    "the PostgreSQL tests will be skipped (install your system's postgresql package to run them)" >&2
