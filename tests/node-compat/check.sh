#!/usr/bin/env bash
# The Node compatibility ratchet: runs every test listed in passing.txt with
# ../shared/tools/nodecompat against the release binary and fails if one of
# them no longer passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
list=tests/node-compat/passing.txt
count=$(grep -cv '^\s*\(#\|$\)' "$list" || true)
if [ "$count" -eq 0 ]; then
  echo "node-compat: no tests listed yet in $list"
  exit 0
fi
shared=${LODE_SHARED_DIR:-../shared}
tool=$shared/tools/nodecompat
suite=$shared/node-test
if [ ! -x "$tool" ] || [ ! -d "$suite" ]; then
  echo "node-compat: $tool and $suite are required (set LODE_SHARED_DIR to the folder holding them)" >&2
  exit 1
fi
cargo build --release --quiet
report=$(mktemp)
set +e
"$tool" run --runtime "$root/target/release/lode" --suite "$suite" --list "$list" --jobs 2 --report "$report"
set -e
python3 - "$report" "$count" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
failed = [path for path, result in report["results"].items() if not result.get("pass")]
if failed:
    print("node-compat: these listed tests no longer pass:\n  " + "\n  ".join(map(str, failed)))
    sys.exit(1)
print(f"node-compat: all {sys.argv[2]} listed tests pass")
PY
