#!/usr/bin/env bash
# Runs the whole suite with Node's test runner: unit, store (better-sqlite3 and D1),
# API flows over a real port with the AWS SDK, and the Worker in workerd.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
npx tsc --noEmit -p .
exec node --import tsx --test test/*.test.ts "$@"
