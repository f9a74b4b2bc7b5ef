# Shared by the bench scripts: build Lode, find the peers, and time one
# program in all three runtimes. Source it; it sets $root, $lode, $node24
# and $bun and cds to the repository root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cargo build --release --quiet
command -v hyperfine >/dev/null || { echo "install hyperfine (Debian package)" >&2; exit 1; }
mapfile -t peers < <(bench/peers.sh)
node24=${peers[0]}
bun=${peers[1]}
lode=$root/target/release/lode

compare_header() { # label
  printf '%-16s %10s %10s %10s %10s %10s\n' "$1" 'lode ms' 'node24 ms' 'bun ms' 'lode/node' 'lode/bun'
}

# Times `runtime file` for the three runtimes and prints one row of means.
compare_row() { # label runs file
  local label=$1 runs=$2 file=$3 json
  json=$(mktemp)
  hyperfine --warmup 1 --runs "$runs" -N --export-json "$json" \
    -n lode "$lode $file" -n node24 "$node24 $file" -n bun "$bun $file" >/dev/null
  python3 - "$json" "$label" <<'PY'
import json, sys
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:16} {r['lode']:10.1f} {r['node24']:10.1f} {r['bun']:10.1f} "
      f"{r['lode'] / r['node24']:10.2f} {r['lode'] / r['bun']:10.2f}")
PY
  rm -f "$json"
}
