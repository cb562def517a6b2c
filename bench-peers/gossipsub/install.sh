#!/usr/bin/env bash
# Installs the GossipSub benchmark peer's npm packages (exact versions from package-lock.json) into
# node_modules beside this script. Idempotent: runs `npm ci` only when node_modules is missing or was
# installed from another lockfile (a stamp in node_modules records the lockfile's hash).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
command -v node >/dev/null 2>&1 || { echo "gossipsub install: node not found; Node.js 20 or later is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "gossipsub install: npm not found; it comes with Node.js (Debian: apt-get install npm)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "gossipsub install: Node.js $(node --version) is too old; libp2p 2.10 needs Node.js 20 or later" >&2
  exit 1
fi
want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.bench-lock-sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d node_modules/@chainsafe/libp2p-gossipsub ]; then
  echo "gossipsub install: node_modules is current" >&2
  exit 0
fi
echo "gossipsub install: npm ci (libp2p 2.10.0, @chainsafe/libp2p-gossipsub 14.1.2) ..." >&2
npm ci --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
