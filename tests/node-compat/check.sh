#!/usr/bin/env bash
# The Node compatibility ratchet: runs every test listed in passing.txt with
# nodecompat against the release binary and fails if one of them no longer
# passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
list=tests/node-compat/passing.txt
count=$(grep -cv '^\s*\(#\|$\)' "$list" || true)
if [ "$count" -eq 0 ]; then
  echo "node-compat: no tests listed yet in $list"
  exit 0
fi
# Node's test files live outside the repository (they are never copied in):
# beside the checkout, in this workplace's shared folder, or where
# LODE_SHARED_DIR points.
shared=
for candidate in "${LODE_SHARED_DIR:-}" ../shared /work/shared; do
  if [ -n "$candidate" ] && [ -x "$candidate/tools/nodecompat" ] && [ -d "$candidate/node-test" ]; then
    shared=$(cd "$candidate" && pwd)
    break
  fi
done
if [ -z "$shared" ]; then
  echo "node-compat: SKIPPED - Node's test suite was not found (looked in \$LODE_SHARED_DIR, ../shared, /work/shared)." >&2
  echo "node-compat: set LODE_SHARED_DIR to the folder holding tools/nodecompat and node-test." >&2
  [ "${LODE_REQUIRE_NODE_COMPAT:-0}" = 1 ] && exit 1
  exit 0
fi
tool=$shared/tools/nodecompat
suite=$shared/node-test
cargo build --release --quiet

# Runs the tests of one list; fails if any of them no longer passes.
gate() {
  local list=$1
  shift
  local count
  count=$(grep -cv '^\s*\(#\|$\)' "$list" || true)
  [ "$count" -eq 0 ] && return 0
  local report
  report=$(mktemp)
  set +e
  "$tool" run --runtime "$root/target/release/lode" --suite "$suite" --list "$list" --jobs 2 --report "$report" "$@"
  set -e
  python3 - "$report" "$count" "$list" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
failed = [path for path, result in report["results"].items() if not result.get("pass")]
if failed:
    print(f"node-compat: these tests of {sys.argv[3]} no longer pass:\n  " + "\n  ".join(map(str, failed)))
    sys.exit(1)
print(f"node-compat: all {sys.argv[2]} tests of {sys.argv[3]} pass")
PY
}

gate "$list"
# Tests that pass only with their `// Flags:` line on the command line, as
# Node's own runner gives it (most need --expose-internals).
gate tests/node-compat/passing-with-flags.txt --pass-flags
