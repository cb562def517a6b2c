#!/usr/bin/env bash
# Installs what some tests use: first what the live view's browser test needs
# (scripts/install-browser-test-deps.sh), then, with apt, when run as root and something is
# missing: iproute2 (`ip`) and nftables (`nft`) for the network-namespace tests, prometheus for
# `promtool`, which AdminEndpointTest runs on a node's /metrics (without it that test checks with
# its own strict reader of the format only). Quiet and idempotent: nothing is done when all are
# there, and nothing when not root (the namespace tests are then skipped, saying why). Called by ./test.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

"$(dirname "${BASH_SOURCE[0]}")/install-browser-test-deps.sh"

packages=()
have ip || packages+=(iproute2)
have nft || packages+=(nftables)
have promtool || packages+=(prometheus)
[ ${#packages[@]} -eq 0 ] && exit 0
[ "$(id -u)" -eq 0 ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: ${packages[*]} missing and no apt-get; the tests that need them skip or check less" >&2
  exit 0
fi

echo "install-test-deps: installing ${packages[*]} for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
policy=
cleanup() { rm -f "$log"; if [ -n "$policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
# prometheus' package would start its server where an init system runs; the tests need only
# promtool, so services are not started during this install (Debian's policy-rc.d, unless one exists)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
fi
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
  echo "install-test-deps: apt-get failed; the tests that need ${packages[*]} skip or check less. Its output:" >&2
  cat "$log" >&2
fi
exit 0
