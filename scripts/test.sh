#!/usr/bin/env bash
# The whole test suite, in the order that fails fastest: types, unit tests,
# integration tests (real ffmpeg and werift), end-to-end tests (Playwright +
# Debian's Chromium). `scripts/test.sh unit|int|e2e` runs one stage.
set -euo pipefail
cd "$(dirname "$0")/.."
stage="${1:-all}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"

# Test files, found by name: x.test.ts are unit tests, x.int.test.ts integration.
find_tests() { find protocol sessions encoder server client e2e -name "$1" -not -path '*/node_modules/*' | sort; }

if [ "$stage" = all ] || [ "$stage" = unit ]; then
  echo "== typecheck"
  npx tsc --noEmit -p .
  echo "== unit tests"
  mapfile -t unit < <(find_tests '*.test.ts' | grep -v '\.int\.test\.ts$')
  node --import tsx --test --test-reporter=spec "${unit[@]}"
fi
if [ "$stage" = all ] || [ "$stage" = int ]; then
  echo "== integration tests"
  mapfile -t int < <(find_tests '*.int.test.ts')
  # One file at a time: they start real encoders, and the machine has 2 cores.
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${int[@]}"
fi
if [ "$stage" = all ] || [ "$stage" = e2e ]; then
  echo "== end-to-end tests (with the short latency checks: e2e/latency, budgets in e2e/qa/budgets.ts)"
  npx playwright test --project=e2e --project=latency
fi
