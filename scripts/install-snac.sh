#!/usr/bin/env bash
# Installs snac2 (a small ActivityPub server with a Mastodon-compatible client
# API) from Debian bookworm-backports: the Mastodon peer of test/publish.
# Idempotent; run as root (CI). Usage: bash scripts/install-snac.sh
set -euo pipefail
if command -v snac >/dev/null 2>&1; then
  echo "snac already installed: $(command -v snac)"
  exit 0
fi
list=/etc/apt/sources.list.d/bookworm-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$list"
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -t bookworm-backports snac2
command -v snac
