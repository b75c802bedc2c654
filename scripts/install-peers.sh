#!/usr/bin/env bash
# Installs the Debian packages the test suite's peers need. Idempotent: does
# nothing for what is there already.
#   postgresql         the production store (the same suite runs on it)
#   chromium           the dashboard's browser tests (playwright-core drives it)
#   fonts-dejavu-core  the score-card images (satori needs a real font)
#   snac2              the Mastodon-compatible peer (from bookworm-backports)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    if [ ${#need[@]} -gt 0 ] || ! command -v snac >/dev/null 2>&1; then
      echo "install-peers: need root to install: ${need[*]} snac2" >&2
      exit 1
    fi
    exit 0
  fi
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "install-peers: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v snac >/dev/null 2>&1 || $SUDO bash scripts/install-snac.sh >/dev/null
