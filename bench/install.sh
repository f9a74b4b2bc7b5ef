#!/usr/bin/env bash
# Package installs beside npm and Bun, from one run: express, and a larger
# app tree (express, eslint, jest, typescript: ~400 packages), each cold
# (empty cache, no lockfile), warm (cache kept, no lockfile) and with a
# lockfile (cache kept). node_modules is removed before every run. Uses the
# registry npm is configured for, given to each tool the same way (an
# environment variable), so none pays for asking npm. Put
# INSTALL_BENCH_DIR on a tmpfs (/dev/shm/...) to time installs rather than
# ext4's inode allocator: creating tens of thousands of files right after
# deleting as many is slow there for every tool alike.
#   bench/install.sh [express|app ...]
source "$(dirname "$0")/lib.sh"
registry=$(npm config get registry)
work=${INSTALL_BENCH_DIR:-/tmp/lode-install-bench}
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(express app)
declare -A deps=(
  [express]='{"express": "^4.21.0"}'
  [app]='{"express": "^4.21.0", "eslint": "^9.0.0", "jest": "^29.7.0", "typescript": "^5.6.0"}'
)
# One timed command per tool; caches live under $work/<tool>-cache.
tool_cmd() { # tool
  case $1 in
    lode) echo "LODE_CACHE_DIR=$work/lode-cache npm_config_registry=$registry $lode install" ;;
    npm) echo "npm install --no-audit --no-fund --loglevel=error --cache $work/npm-cache" ;;
    bun) echo "BUN_INSTALL_CACHE_DIR=$work/bun-cache BUN_CONFIG_REGISTRY=$registry NODE_USE_SYSTEM_CA=1 $bun install --no-save-text-lockfile >/dev/null 2>&1 || $bun install >/dev/null" ;;
  esac
}
lockname() { case $1 in lode|npm) echo package-lock.json ;; bun) echo bun.lock ;; esac; }
printf '%-22s %10s %10s %10s %10s %10s\n' install 'lode s' 'npm s' 'bun s' 'npm/lode' 'bun/lode'
for name in "${names[@]}"; do
  for mode in cold warm lockfile; do
    declare -A secs=()
    for tool in lode npm bun; do
      dir=$work/$name-$tool
      mkdir -p "$dir"
      echo "{\"name\": \"bench-$name\", \"version\": \"1.0.0\", \"dependencies\": ${deps[$name]}}" >"$dir/package.json"
      lock=$(lockname "$tool")
      case $mode in
        cold) prepare="rm -rf $dir/node_modules $dir/$lock $dir/bun.lockb $work/$tool-cache" ;;
        warm) prepare="rm -rf $dir/node_modules $dir/$lock $dir/bun.lockb" ;;
        lockfile) prepare="rm -rf $dir/node_modules" ;;
      esac
      # The warm and lockfile runs need the cache (and the lockfile) the
      # previous mode left; make sure they exist.
      (cd "$dir" && eval "$(tool_cmd "$tool")" >/dev/null 2>&1) || true
      json=$(mktemp)
      if (cd "$dir" && hyperfine -N --runs 3 --prepare "$prepare" --export-json "$json" "sh -c '$(tool_cmd "$tool")'" >/dev/null 2>&1); then
        secs[$tool]=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$json")
      else
        secs[$tool]=nan
      fi
      rm -f "$json"
    done
    python3 - "$name $mode" "${secs[lode]}" "${secs[npm]}" "${secs[bun]}" <<'PY'
import sys
label, lode, npm, bun = sys.argv[1], *map(float, sys.argv[2:5])
ratio = lambda x: f"{x / lode:10.2f}" if lode == lode and x == x else f"{'n/a':>10}"
fmt = lambda x: f"{x:10.2f}" if x == x else f"{'n/a':>10}"
print(f"{label:22} {fmt(lode)} {fmt(npm)} {fmt(bun)} {ratio(npm)} {ratio(bun)}")
PY
  done
done
