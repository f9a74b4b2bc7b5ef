#!/usr/bin/env bash
# HTTP server throughput beside Node 24 and Bun, one run: wrk (one
# thread, 50 keep-alive connections, 5 s) against bench/http/hello.js with
# a 12-byte and a 64 KB body. Prints requests/s, p99 latency and the
# server's peak RSS. Needs wrk (Debian package).
#   bench/http.sh [seconds]
source "$(dirname "$0")/lib.sh"
command -v wrk >/dev/null || { echo "install wrk (Debian package)" >&2; exit 1; }
duration=${1:-5}

# Starts `runtime bench/http/hello.js`, loads it with wrk, prints
# "req/s p99-ms peak-rss-MB".
measure() { # runtime body-bytes
  local out pid port stats
  out=$(mktemp)
  BODY_BYTES=$2 "$1" bench/http/hello.js >"$out" &
  pid=$!
  for _ in $(seq 1 100); do port=$(head -1 "$out"); [ -n "$port" ] && break; sleep 0.05; done
  stats=$(wrk -t1 -c50 -d"${duration}s" --latency "http://127.0.0.1:$port/" 2>&1)
  local rss
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$out"
  python3 - "$stats" "$rss" <<'PY'
import re, sys
stats, rss = sys.argv[1], int(sys.argv[2])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", stats).group(1))
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", stats)
scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", stats)
print(f"{rps:.0f} {float(p99.group(1)) * scale:.2f} {rss / 1024:.1f}" + (" errors" if errors else ""))
PY
}

printf '%-12s %-8s %12s %10s %10s\n' body runtime 'req/s' 'p99 ms' 'RSS MB'
for bytes in 0 65536; do
  label=$([ "$bytes" = 0 ] && echo 12B || echo 64KB)
  declare -A rps=()
  for runtime in lode node24 bun; do
    case $runtime in lode) bin=$lode ;; node24) bin=$node24 ;; bun) bin=$bun ;; esac
    read -r r p m e <<<"$(measure "$bin" "$bytes")"
    rps[$runtime]=$r
    printf '%-12s %-8s %12s %10s %10s %s\n' "$label" "$runtime" "$r" "$p" "$m" "${e:-}"
  done
  python3 -c "import sys; l,n,b=map(float,sys.argv[1:]); print(f'{\"\":12} lode/node {l/n:.2f}x   lode/bun {l/b:.2f}x (req/s)')" \
    "${rps[lode]}" "${rps[node24]}" "${rps[bun]}"
done
