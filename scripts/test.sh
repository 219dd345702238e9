#!/usr/bin/env bash
# `npm test`: runs every suite on a fresh machine. Installs what the tests need that the
# machine may lack (Node 22 in its own folder, the project's npm packages, Debian's
# Chromium), builds, then runs typecheck, lint, the unit+integration suite (vitest) and
# the UI suite (Playwright in Chromium), and ends with one line: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/node22.sh
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export LEMARI_TEST=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# Packages: (re)install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] npm ci"
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# From Debian: Chromium for the UI suite (Playwright cannot download its own browser
# here), oathtool, the independent TOTP generator the login tests check codes against.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/oathtool ] || missing+=(oathtool)
# PostgreSQL's server, for the central server's integration suite (tests/global-setup.ts
# starts a throwaway cluster from these binaries on a loopback port and stops it after).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing from apt: ${missing[*]}"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

results=$(mktemp -d)
passed=0
failed=0
count_step() { # name, exit code: a step that is not a test runner counts as one test
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "[test] $1: ok"; else failed=$((failed + 1)); echo "[test] $1: FAILED"; fi
}

echo "[test] build"
npx electron-vite build >"$results/build.log" 2>&1
build_rc=$?
[ "$build_rc" = 0 ] || tail -40 "$results/build.log"
count_step build "$build_rc"

echo "[test] typecheck"
npx tsc -b; count_step typecheck $?

echo "[test] lint"
npx eslint --max-warnings 0 .; count_step lint $?

echo "[test] unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json"
if [ -f "$results/vitest.json" ]; then
  read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && r.testResults.filter(s=>s.status==="failed"&&s.assertionResults.length===0).length))' "$results/vitest.json")
  passed=$((passed + p)); failed=$((failed + f))
else
  failed=$((failed + 1)); echo "[test] vitest produced no report"
fi

if [ "$build_rc" = 0 ]; then
  echo "[test] UI (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
  if [ -f "$results/playwright.json" ]; then
    read -r p f < <(node -e 'const s=require(process.argv[1]).stats;console.log(s.expected + s.flaky, s.unexpected)' "$results/playwright.json")
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1)); echo "[test] playwright produced no report"
  fi
else
  failed=$((failed + 1)); echo "[test] UI suite skipped: the build failed"
fi

rm -rf "$results"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
