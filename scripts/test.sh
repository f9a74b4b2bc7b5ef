#!/usr/bin/env bash
# The whole test suite: lints, Rust unit and integration tests, then the
# Node compatibility ratchet. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo clippy --workspace --quiet -- -D warnings
cargo test --workspace --quiet
tests/node-compat/check.sh
