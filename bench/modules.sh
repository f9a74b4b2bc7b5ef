#!/usr/bin/env bash
# Module loading: requiring a tree of 1,000 small CommonJS modules and
# importing 1,000 small ES modules, Lode beside Node 24 and Bun in one run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release --quiet
mapfile -t peers < <(bench/peers.sh)
node24=${peers[0]}
bun=${peers[1]}
lode=$root/target/release/lode
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A binary tree of modules: module i requires 2i+1 and 2i+2.
python3 - "$work" <<'PY'
import os, sys
work, n = sys.argv[1], 1000
os.makedirs(f"{work}/cjs/lib"); os.makedirs(f"{work}/esm/lib")
for i in range(n):
    kids = [k for k in (2 * i + 1, 2 * i + 2) if k < n]
    with open(f"{work}/cjs/lib/m{i}.js", "w") as f:
        f.write("".join(f"const c{k} = require('./m{k}.js');\n" for k in kids))
        f.write(f"module.exports = {{ id: {i}, sum: {i}" + "".join(f" + c{k}.sum" for k in kids) + " };\n")
    with open(f"{work}/esm/lib/m{i}.mjs", "w") as f:
        f.write("".join(f"import {{ sum as s{k} }} from './m{k}.mjs';\n" for k in kids))
        f.write(f"export const sum = {i}" + "".join(f" + s{k}" for k in kids) + ";\n")
with open(f"{work}/cjs/main.js", "w") as f:
    f.write("console.log(require('./lib/m0.js').sum);\n")
with open(f"{work}/esm/main.mjs", "w") as f:
    f.write("import { sum } from './lib/m0.mjs';\nconsole.log(sum);\n")
PY

printf '%-12s %10s %10s %10s %10s %10s\n' tree 'lode ms' 'node24 ms' 'bun ms' 'lode/node' 'lode/bun'
for kind in cjs esm; do
  main=$work/$kind/main.js
  [ "$kind" = esm ] && main=$work/esm/main.mjs
  expected=$("$node24" "$main")
  [ "$("$lode" "$main")" = "$expected" ] || { echo "lode printed a different sum for $kind" >&2; exit 1; }
  json=$(mktemp)
  hyperfine --warmup 2 --runs 15 -N --export-json "$json" \
    -n lode "$lode $main" -n node24 "$node24 $main" -n bun "$bun $main" >/dev/null
  python3 - "$json" "$kind x1000" <<'PY'
import json, sys
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:12} {r['lode']:10.1f} {r['node24']:10.1f} {r['bun']:10.1f} "
      f"{r['lode'] / r['node24']:10.2f} {r['lode'] / r['bun']:10.2f}")
PY
  rm -f "$json"
done
