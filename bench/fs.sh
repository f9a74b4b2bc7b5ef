#!/usr/bin/env bash
# File-system benchmarks (bench/fs/*.js) beside Node 24 and Bun from one
# run: whole-file reads and writes of 1 MB (x300) and 256 MB, a 256 MB
# stream copy, readdir + stat over 10,000 files, and the 100,000-chunk
# Transform pipeline (bench/js/stream-transform.js) and its floor without
# streams (bench/js/pipeline-floor.js). Times include each
# runtime's startup. Test data is made once in $FS_BENCH_DIR (default
# /tmp/lode-fs-bench).
#   bench/fs.sh [name ...]
source "$(dirname "$0")/lib.sh"
export FS_BENCH_DIR=${FS_BENCH_DIR:-/tmp/lode-fs-bench}
mkdir -p "$FS_BENCH_DIR/10k"
[ -f "$FS_BENCH_DIR/1mb.bin" ] || head -c $((1 << 20)) /dev/urandom >"$FS_BENCH_DIR/1mb.bin"
[ -f "$FS_BENCH_DIR/256mb.bin" ] || head -c $((256 << 20)) /dev/urandom >"$FS_BENCH_DIR/256mb.bin"
if [ "$(ls "$FS_BENCH_DIR/10k" | wc -l)" -ne 10000 ]; then
  (cd "$FS_BENCH_DIR/10k" && for i in $(seq 1 10000); do printf x >"f$i"; done)
fi
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd bench/fs && ls *.js | sed 's/\.js$//') stream-transform pipeline-floor)
compare_header fs
for name in "${names[@]}"; do
  file=bench/fs/$name.js
  [ -f "$file" ] || file=bench/js/$name.js
  compare_row "$name" 5 "$file"
done
