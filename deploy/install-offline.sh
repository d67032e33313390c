#!/bin/sh
# Install courtplan from this wheelhouse on a machine without internet access (a court intranet).
#   sh install-offline.sh [TARGET]        TARGET: a new virtualenv, default /opt/courtplan
# Needs python3 (the same minor version as the machine that built the wheelhouse, see
# BUILT-WITH) with its venv module; pip never contacts a package index (--no-index).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-/opt/courtplan}
python=${PYTHON:-python3}
want=$(sed -n 's/^python=//p' "$here/BUILT-WITH" 2>/dev/null || true)
have=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ -n "$want" ] && [ "$want" != "$have" ]; then
    echo "install-offline: this wheelhouse was built for Python $want; $python is $have" >&2
    exit 2
fi
"$python" -m venv "$target"
"$target/bin/pip" install --quiet --no-index --find-links "$here" courtplan
"$target/bin/courtplan" --help >/dev/null
echo "installed: $target/bin/courtplan ($("$target/bin/pip" list --format=freeze 2>/dev/null | grep -ci '==') packages)"
