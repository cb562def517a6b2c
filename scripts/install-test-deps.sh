#!/usr/bin/env bash
# Installs what the browser test of the live view needs (scripts/install-browser-test-deps.sh), then
# what the network-namespace tests need (iproute2 for `ip`, nftables for `nft`), with apt,
# when run as root and either tool is missing. Quiet and idempotent: nothing is done when both are
# there, and nothing when not root (those tests are then skipped, saying why). Called by ./test.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

"$(dirname "${BASH_SOURCE[0]}")/install-browser-test-deps.sh"

have ip && have nft && exit 0
[ "$(id -u)" -eq 0 ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: ip or nft missing and no apt-get; the network-namespace tests will be skipped" >&2
  exit 0
fi

echo "install-test-deps: installing iproute2 and nftables for the network-namespace tests" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends iproute2 nftables; } >"$log" 2>&1; then
  echo "install-test-deps: apt-get failed; the network-namespace tests will be skipped. Its output:" >&2
  cat "$log" >&2
fi
exit 0
