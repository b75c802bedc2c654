#!/usr/bin/env bash
# Installs the Debian packages the test suite's peers need (PostgreSQL for the
# production store). Idempotent: does nothing when they are there already.
set -euo pipefail

need=()
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then need+=(postgresql); fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "install-peers: need root to install: ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "install-peers: installing ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
