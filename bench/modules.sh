#!/usr/bin/env bash
# Module loading: requiring a tree of 1,000 small CommonJS modules and
# importing 1,000 small ES modules, Lode beside Node 24 and Bun in one run.
source "$(dirname "$0")/lib.sh"
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

compare_header tree
for kind in cjs esm; do
  main=$work/$kind/main.js
  [ "$kind" = esm ] && main=$work/esm/main.mjs
  expected=$("$node24" "$main")
  [ "$("$lode" "$main")" = "$expected" ] || { echo "lode printed a different sum for $kind" >&2; exit 1; }
  compare_row "$kind x1000" 15 "$main"
done
