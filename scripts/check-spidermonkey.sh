#!/usr/bin/env bash
# The SpiderMonkey backend (`--features spidermonkey`, issue 13's engine
# move, not yet the default) must keep building while it is finished: lint
# it, build it (into target/spidermonkey, so the QuickJS binaries the other
# tests use are not replaced) and run a smoke program under the GC-stress
# mode, which collects at every native call.
#
# It needs the prebuilt SpiderMonkey archive (../shared/mozjs, see
# crates/engine/SPIDERMONKEY.md): without it mozjs_sys would build
# SpiderMonkey from source (40-60 minutes), so the check is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=
for candidate in "${MOZJS_ARCHIVE:-}" "${LODE_SHARED_DIR:-}/mozjs/libmozjs-x86_64-unknown-linux-gnu.tar.gz" \
  ../shared/mozjs/libmozjs-x86_64-unknown-linux-gnu.tar.gz /work/shared/mozjs/libmozjs-x86_64-unknown-linux-gnu.tar.gz; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then
    archive=$(realpath "$candidate")
    break
  fi
done
if [ -z "$archive" ]; then
  echo "check-spidermonkey: SKIPPED - no prebuilt SpiderMonkey archive (set MOZJS_ARCHIVE to its absolute path)" >&2
  exit 0
fi
export MOZJS_ARCHIVE=$archive
sm=(--no-default-features --features spidermonkey --target-dir target/spidermonkey)
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy -p lode "${sm[@]}" --all-targets --quiet -- -D warnings
fi
cargo build -p lode "${sm[@]}" --quiet
lode=target/spidermonkey/debug/lode
out=$(LODE_GC_STRESS=1 "$lode" -e "
  const { Buffer } = require('buffer');
  const wasm = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  Promise.resolve(Buffer.from('lode').toString('hex')).then((hex) => console.log(
    hex, new Intl.NumberFormat('de-DE').format(1234.5), WebAssembly.Module.exports(wasm).length,
    typeof process.versions.spidermonkey));
")
expected="6c6f6465 1.234,5 0 string"
if [ "$out" != "$expected" ]; then
  echo "check-spidermonkey: the smoke program printed '$out', expected '$expected'" >&2
  exit 1
fi
echo "check-spidermonkey: the SpiderMonkey build lints, builds and runs under GC stress"
