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

if sh "$(dirname "$0")/install-system-package.sh" postgresql "the PostgreSQL tests" && have_postgres; then
    exit 0
fi
echo "ensure-postgres: the PostgreSQL tests will be skipped" >&2
