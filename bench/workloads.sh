#!/usr/bin/env bash
# Whole-program JS workloads (bench/js/*.js), timed with hyperfine in Lode,
# Node 24 and Bun from one run. Ratios are Lode's mean over the peer's.
#   bench/workloads.sh [name ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release --quiet
mapfile -t peers < <(bench/peers.sh)
node24=${peers[0]}
bun=${peers[1]}
lode=$root/target/release/lode
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench/js && ls *.js | sed 's/\.js$//'))
printf '%-16s %10s %10s %10s %10s %10s\n' workload 'lode ms' 'node24 ms' 'bun ms' 'lode/node' 'lode/bun'
for name in "${names[@]}"; do
  file=bench/js/$name.js
  json=$(mktemp)
  hyperfine --warmup 1 --runs 5 -N --export-json "$json" \
    -n lode "$lode $file" -n node24 "$node24 $file" -n bun "$bun $file" >/dev/null
  python3 - "$json" "$name" <<'PY'
import json, sys
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:16} {r['lode']:10.1f} {r['node24']:10.1f} {r['bun']:10.1f} "
      f"{r['lode'] / r['node24']:10.2f} {r['lode'] / r['bun']:10.2f}")
PY
  rm -f "$json"
done
