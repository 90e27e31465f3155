#!/usr/bin/env bash
# EmpowerBot's end-to-end tests against clients nobody here wrote: card conformance with the official Adaptive Cards
# libraries, and a rep's and a manager's day in the Microsoft 365 Agents Playground driven in headless Chromium.
#
#   dotnet build -c Release EmpowerBot.sln   # first: the tests run the built bot and tests/CardBind
#   bash tests/e2e/run.sh [test files…]       # default: every *.test.mjs here
#
# Installs what it needs (Debian's chromium if /usr/bin/chromium is missing, the pinned npm packages), runs node's
# test runner with a readable report, and ends with the runner's TAP summary lines:
#   # tests N / # suites N / # pass N / # fail N / # cancelled N / # skipped N / # todo N / # duration_ms N
# Exits non-zero when a test failed or was cancelled, or when setup failed (then before any summary line).
# Screenshots and the bot's and the Playground's logs land in tests/e2e/output/.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; }; then
    echo "e2e: could not install chromium" >&2
    exit 1
  fi
fi

echo "== npm ci (tests/e2e)"
if ! npm ci --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "e2e: npm ci failed" >&2
  exit 1
fi

if [ "$#" -gt 0 ]; then files=("$@"); else files=(*.test.mjs); fi
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT

echo "== node --test ${files[*]}"
# One file at a time (each starts its own browser; this machine has two cores). The spec report is for people;
# the TAP report's closing lines are for whoever counts.
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" \
  "${files[@]}"
status=$?
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$summary"
exit "$status"
