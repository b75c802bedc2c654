#!/usr/bin/env bash
# The whole test suite: every test on the embedded store (PGlite), then the
# suites that touch the store again on a real PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

if [ ! -x node_modules/.bin/vitest ]; then
  echo "test: dependencies missing; run npm install first" >&2
  exit 1
fi
bash scripts/install-peers.sh
# Native addons must be built for the project's Node (npm may have used another's headers).
node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null || bash scripts/build-better-sqlite3.sh

echo "== all tests on PGlite (embedded store)"
vitest run "$@"

echo "== store-backed tests on PostgreSQL"
# Everything that reads or writes the store: the store itself, the queue, the
# pipeline end to end, the API and the LLM ledger.
bash scripts/with-postgres.sh vitest run src/store src/queue src/pipeline \
  test/replay.test.ts test/crash.test.ts test/live.test.ts test/api test/llm "$@"
