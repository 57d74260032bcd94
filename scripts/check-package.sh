#!/usr/bin/env bash
# Proves the package installs as teams install it: `npm pack` (prepack builds dist/), then
# `npm install --omit=dev` of the tarball into an empty folder, then `grantops --help`, `grantops validate` and
# `grantops demo` from there. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --omit=dev --no-audit --no-fund --prefer-offline "$work/$tarball"
if [ -d node_modules/typescript ] || [ -d node_modules/vitest ]; then
  echo "check-package: dev dependencies were installed" >&2
  exit 1
fi
npx --no -- grantops --help >/dev/null
npx --no -- grantops validate --repo node_modules/grantops
npx --no -- grantops demo --short-duration 5 >demo.log 2>&1 || { cat demo.log >&2; exit 1; }
tail -n 3 demo.log
echo "check-package: ok ($tarball installed with --omit=dev; --help, validate and demo ran)"
