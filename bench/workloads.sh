#!/usr/bin/env bash
# Whole-program JS workloads (bench/js/*.js), timed with hyperfine in Lode,
# Node 24 and Bun from one run. Ratios are Lode's mean over the peer's.
#   bench/workloads.sh [name ...]
source "$(dirname "$0")/lib.sh"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench/js && ls *.js | sed 's/\.js$//'))
compare_header workload
for name in "${names[@]}"; do
  compare_row "$name" 5 "bench/js/$name.js"
done
