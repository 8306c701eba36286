#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine (idempotent).
#   bash scripts/setup.sh          Python environment (.venv) with the package and its pinned dependencies
#   bash scripts/setup.sh --test   ... plus what the tests need: test libraries and Debian's chromium
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
with_test=0
[ "${1:-}" = "--test" ] && with_test=1

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$with_test" = 1 ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
else
  .venv/bin/python -m pip install --quiet -e .
fi

if [ "$with_test" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  # Japanese glyphs for screenshots taken by the browser tests
  [ -e /usr/share/fonts/opentype/ipafont-gothic ] || missing+=(fonts-ipafont-gothic)
  # Virtuoso Open Source for the remote store tests (they start it on a database of their own)
  command -v virtuoso-t >/dev/null || missing+=(virtuoso-opensource)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  fi
fi
echo "setup done: $(.venv/bin/python --version), $(command -v chromium >/dev/null && chromium --version 2>/dev/null || echo 'no chromium (only needed for tests)')"
