#!/usr/bin/env bash
# The whole test suite: lints, Rust unit and integration tests, then the
# Node compatibility ratchet. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --workspace --quiet -- -D warnings
else
  echo "test.sh: clippy is not installed here; lints SKIPPED" >&2
fi
scripts/install-test-tools.sh
cargo test --workspace --quiet
scripts/check-spidermonkey.sh
tests/node-compat/check.sh
