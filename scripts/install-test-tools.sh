#!/usr/bin/env bash
# Installs what the tests run besides Lode: Verdaccio (a real npm registry
# server) for the package-manager tests, with npm from the registry npm is
# configured for, exactly as tests/tools/package-lock.json pins it.
# (node-fetch is overridden to 2.7.0: Verdaccio asks for node-fetch@cjs, a
# dist-tag some registry mirrors do not carry.)
set -euo pipefail
cd "$(dirname "$0")/../tests/tools"
command -v npm >/dev/null || { echo "npm is required to install the test tools (Verdaccio)" >&2; exit 1; }
if [ ! -x node_modules/.bin/verdaccio ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
