#!/usr/bin/env bash
# Installs what the live view's browser test (LiveViewBrowserTest, docs/LIVE-VIEW.md) needs:
# Debian's chromium, with apt, when run as root and it is missing; and playwright-core, pinned by
# src/test/browser/package-lock.json, with `npm ci` when npm is there and it is not installed yet.
# Quiet and idempotent; never fails (the test is then skipped, saying what is missing). Called by
# scripts/install-test-deps.sh (so by ./test) and by the test itself when something is missing.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-browser-test-deps: installing chromium for the live view's browser test" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get install -y -qq --no-install-recommends chromium \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }; } >"$log" 2>&1; then
      echo "install-browser-test-deps: apt-get could not install chromium; the browser test will be skipped. Its output:" >&2
      tail -20 "$log" >&2
    fi
  fi
fi

dir="$root/src/test/browser"
if [ ! -f "$dir/node_modules/playwright-core/package.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
      echo "install-browser-test-deps: npm ci failed in $dir; the browser test will be skipped. Its output:" >&2
      tail -20 "$log" >&2
    fi
  fi
fi
exit 0
