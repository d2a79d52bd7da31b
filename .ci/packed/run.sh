#!/usr/bin/env bash
# The two published packages as a user gets them: packed with npm pack, installed from the tarballs
# into an empty folder outside the repository (no workspace links), then used there: the SDK
# required and imported, its bin run, its types checked from ESM and CommonJS (module node16), and
# the sandbox started from its bin with a trade paid through it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm pack --silent -w alipay-legacy -w alipay-legacy-sandbox --pack-destination "$work" >/dev/null
cd "$work"
for tarball in alipay-legacy-0.1.0.tgz alipay-legacy-sandbox-0.1.0.tgz; do
  if tar -tzf "$tarball" | grep -E '\.ts$' | grep -vE '\.d\.ts$' >/dev/null; then
    echo "$tarball ships TypeScript sources" >&2
    exit 1
  fi
done
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund --silent ./alipay-legacy-0.1.0.tgz ./alipay-legacy-sandbox-0.1.0.tgz

# Nothing of a TypeScript toolchain is needed at run time.
for absent in tsx typescript; do
  if [ -e "node_modules/$absent" ]; then
    echo "installing the packages brought $absent along" >&2
    exit 1
  fi
done
signed="$(npx --no-install alipay-legacy sign --key 10000000000000000000000000000000 service=test partner=123)"
[ "$signed" = "bbd13b52823b576291595f472ebcfbc2" ] || { echo "npx alipay-legacy sign printed: $signed" >&2; exit 1; }
cp "$repo/.ci/packed/smoke.mjs" .
node smoke.mjs

# The declarations, for TypeScript users on ESM and on CommonJS.
cp "$repo/.ci/packed/check-esm.mts" "$repo/.ci/packed/check-cjs.cts" "$repo/.ci/packed/tsconfig.json" .
npm install --no-audit --no-fund --silent typescript@~5.9.3 @types/node@^20.19.0
npx --no-install tsc -p tsconfig.json
echo "packed packages: installed, run and typechecked outside the repository"
