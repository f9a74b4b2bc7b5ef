#!/usr/bin/env bash
# CPU-bound kernels (bench/cpu/*.js: recursion, JSON, strings, regexps,
# Map/Set, sort), timed with hyperfine in Lode, Node 24 and Bun from one
# run. Ratios are Lode's mean over the peer's; the engine move (issue 13)
# aims at 1.5x of Node 24 or better on each.
#   bench/cpu.sh [name ...]
source "$(dirname "$0")/lib.sh"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench/cpu && ls *.js | sed 's/\.js$//'))
compare_header kernel
for name in "${names[@]}"; do
  compare_row "$name" 3 "bench/cpu/$name.js"
done
echo
echo "binary size: $(stat -c %s "$lode" | awk '{printf "%.1f MB", $1 / 1048576}') (target/release/lode)"
