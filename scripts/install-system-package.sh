#!/bin/sh
# Install one of the system's packages quietly, for a make target that needs a program the repo
# cannot bring itself: `install-system-package.sh PACKAGE WHAT-FOR`. Only as root with apt-get (CI,
# a fresh machine); apt's chatter goes to a log whose tail is shown only when installing fails.
# Exits 0 when the package went in, 1 (having said why in one line) when it could not.
set -eu

package=$1
purpose=$2

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$package is needed for $purpose: not root with apt-get to install it; install your system's $package package" >&2
    exit 1
fi

echo "installing $package from the system's packages for $purpose" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq "$package" >>"$log" 2>&1; then
    rm -f "$log"
    exit 0
fi
tail -n 5 "$log" >&2
rm -f "$log"
echo "$package could not be installed for $purpose" >&2
exit 1
