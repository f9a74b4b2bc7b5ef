#!/usr/bin/env bash
# Startup cost: hello-world wall time (hyperfine) and peak RSS, Lode beside
# Node 24 and Bun, from one run. Ratios are Lode's figure over the peer's.
#   bench/startup.sh            (builds the release binary first)
source "$(dirname "$0")/lib.sh"
hello=$root/examples/hello.js

json=$(mktemp)
hyperfine --warmup 5 --runs 40 -N --export-json "$json" \
  -n lode "$lode $hello" -n node24 "$node24 $hello" -n bun "$bun $hello" >/dev/null

peak_rss_kb() { # the max over 10 runs of GNU time's maximum resident set size
  local best=0 kb
  for _ in $(seq 10); do
    kb=$( { /usr/bin/time -f '%M' "$@" >/dev/null; } 2>&1 | tail -n 1)
    [ "$kb" -gt "$best" ] && best=$kb
  done
  echo "$best"
}
rss_lode=$(peak_rss_kb "$lode" "$hello")
rss_node=$(peak_rss_kb "$node24" "$hello")
rss_bun=$(peak_rss_kb "$bun" "$hello")

python3 - "$json" "$rss_lode" "$rss_node" "$rss_bun" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(zip(["lode", "node24", "bun"], map(int, sys.argv[2:5])))
lode = results["lode"]["mean"]
print(f"{'runtime':8} {'mean ms':>9} {'± ms':>7} {'peak RSS MB':>12} {'lode/x time':>12} {'lode/x RSS':>11}")
for name in ["lode", "node24", "bun"]:
    r = results[name]
    print(f"{name:8} {r['mean']*1000:9.2f} {r['stddev']*1000:7.2f} {rss[name]/1024:12.1f} "
          f"{lode/r['mean']:12.3f} {rss['lode']/rss[name]:11.3f}")
PY
rm -f "$json"
