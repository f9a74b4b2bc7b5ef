#!/usr/bin/env bash
# Micro-benchmarks (bench/micro/*.js print ns/op as JSON), Lode beside
# Node 24 and Bun from one run; a ratio below 1 means Lode is faster.
#   bench/micro.sh [buffer|events ...]
source "$(dirname "$0")/lib.sh"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench/micro && ls *.js | grep -v '^measure.js$' | sed 's/\.js$//'))
for name in "${names[@]}"; do
  file=bench/micro/$name.js
  lode_json=$("$lode" "$file")
  node_json=$("$node24" "$file")
  bun_json=$("$bun" "$file")
  python3 - "$lode_json" "$node_json" "$bun_json" <<'PY'
import json, sys
lode, node, bun = (json.loads(a) for a in sys.argv[1:4])
print(f"{'case':28} {'lode ns/op':>12} {'node24':>12} {'bun':>12} {'lode/node':>10} {'lode/bun':>10}")
for case in lode:
    print(f"{case:28} {lode[case]:12.0f} {node[case]:12.0f} {bun[case]:12.0f} "
          f"{lode[case] / node[case]:10.2f} {lode[case] / bun[case]:10.2f}")
PY
done
