#!/usr/bin/env bash
# Sets up a checkout on a fresh machine: Node >= 22.12 (bootstrapped into .tools/ when the system Node is
# older) and the locked dependencies. Then runs the command given, with that Node first on PATH:
#   bash scripts/setup.sh npm run demo
#   bash scripts/setup.sh npm test
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "$#" -gt 0 ]; then exec "$@"; fi
