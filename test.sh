#!/usr/bin/env bash
# EmpowerBot's one test command: restores, builds and runs every test suite, then prints one closing line
#   tests: N passed, N failed, N skipped
# and exits non-zero on any failure or when no test ran. Needs only the .NET SDK: Node.js (for Azurite, the
# Azure Table Storage emulator), zip and the npm packages are installed here when missing.
set -uo pipefail
cd "$(dirname "$0")"

log_dir=$(mktemp -d)
trap 'for pid in ${prepare_pid:-} ${bench_pid:-}; do kill "$pid" 2>/dev/null; done; rm -rf "$log_dir"' EXIT
passed=0 failed=0 skipped=0 status=0

fail_early() {
  echo "$1"
  echo "tests: $passed passed, $((failed + 1)) failed, $skipped skipped"
  exit 1
}

# Adds the counts of `dotnet test` summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 …").
count_dotnet() {
  local line f p s
  while IFS= read -r line; do
    f=$(sed -n 's/.*Failed: *\([0-9]*\).*/\1/p' <<<"$line")
    p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line")
    s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line")
    failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
  done < <(grep -E '^(Passed|Failed)! +- +Failed:' "$1")
}

apt_install() {
  if [ -z "${apt_updated:-}" ]; then apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

echo "== tools"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing Node.js and npm"
  apt_install nodejs npm || fail_early "could not install Node.js (needed for Azurite)"
fi
if ! command -v zip >/dev/null 2>&1; then
  echo "installing zip (the Teams app package script uses it)"
  apt_install zip || fail_early "could not install zip"
fi
node --version
if ! npm ci --prefix tests --no-audit --no-fund --loglevel=error >"$log_dir/npm.log" 2>&1; then
  cat "$log_dir/npm.log"; fail_early "npm ci --prefix tests failed"
fi

# What the later suites need and the build does not (Debian's chromium and wrk, the npm packages of the end-to-end
# tests and of the benchmark's botbuilder-JS peer) is fetched in the background, while the build and the .NET tests
# run. Each suite still installs what is missing itself, so this only saves time.
prepare_later() {
  local packages=()
  [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || packages+=(chromium)
  command -v wrk >/dev/null 2>&1 || packages+=(wrk)
  if [ "${#packages[@]}" -gt 0 ]; then
    echo "installing ${packages[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}"
  fi
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
  [ -d tests/Bench/peer/node_modules/botbuilder ] || npm ci --prefix tests/Bench/peer --no-audit --no-fund --loglevel=error
}
prepare_later >"$log_dir/prepare.log" 2>&1 &   # its apt and npm at the build's priority: mostly waiting on the network
prepare_pid=$!

echo "== restore and build"
if ! dotnet build EmpowerBot.sln -c Release --nologo -v quiet >"$log_dir/build.log" 2>&1; then
  grep -E 'error' "$log_dir/build.log" | sort -u | head -40
  fail_early "build failed"
fi

# The benchmark's published app (ReadyToRun, as deployed) is published beside the .NET tests, at a lower priority, so
# it takes only what the tests leave idle.
nice -n 10 dotnet publish bot -c Release -o "$log_dir/publish" --nologo -v quiet >"$log_dir/publish.log" 2>&1 &
publish_pid=$!

# Two passes, one after the other (side by side they overloaded two cores and made timing-sensitive tests fail): every
# test on SQLite (the Azure Table Storage tests on an Azurite of their own), then the feature tests again with every
# bot host on one shared Azurite. A failing test's message is shown with its name.
azure_features="FullyQualifiedName~EmpowerBot.Tests.Budget|FullyQualifiedName~EmpowerBot.Tests.Approvals|FullyQualifiedName~EmpowerBot.Tests.Channels|FullyQualifiedName~EmpowerBot.Tests.Outbox|FullyQualifiedName~EmpowerBot.Tests.Conversation.NotificationTests|FullyQualifiedName~EmpowerBot.Tests.Conversation.OrganizationTests|FullyQualifiedName~EmpowerBot.Tests.Policy.PolicyEditTests|FullyQualifiedName~EmpowerBot.Tests.Policy.OrgPolicyTests|FullyQualifiedName~EmpowerBot.Tests.Insights.ExportTests|FullyQualifiedName~EmpowerBot.Tests.Insights.CustomerFeedbackTests|FullyQualifiedName~EmpowerBot.Tests.Insights.OrgViewTests"
run_pass() {
  local log=$1; shift
  "$@" >"$log_dir/$log.log" 2>&1 || status=1
  grep -E '^\s+Failed |^(Passed|Failed)!' "$log_dir/$log.log"
  grep -A6 -E '^\s+Error Message:' "$log_dir/$log.log" | cut -c1-400 | head -60
  grep -qE '^(Passed|Failed)!' "$log_dir/$log.log" || { tail -40 "$log_dir/$log.log"; status=1; failed=$((failed + 1)); }
  count_dotnet "$log_dir/$log.log"
}
echo "== .NET tests (SQLite; Azure Table Storage tests on Azurite)"
run_pass dotnet dotnet test EmpowerBot.sln -c Release --no-build --nologo
echo "== .NET feature tests again, every bot host on Azurite"
run_pass dotnet-azure env EMPOWERBOT_TEST_STORAGE=AzureTables dotnet test EmpowerBot.sln -c Release --no-build --nologo --filter "$azure_features"

if ! wait "$prepare_pid"; then
  echo "fetching the end-to-end and benchmark tools failed (each suite tries again):"; tail -20 "$log_dir/prepare.log"
fi

# The benchmark's smoke mode checks answers, never speed, so it runs beside the end-to-end tests; its report follows theirs.
wait "$publish_pid" && export BENCH_PUBLISHED="$log_dir/publish"   # else the benchmark publishes it itself
bash tests/Bench/run.sh --smoke >"$log_dir/bench.log" 2>&1 &
bench_pid=$!

echo "== end-to-end tests (Agents Playground in headless Chromium; cards against the official libraries)"
bash tests/e2e/run.sh 2>&1 | tee "$log_dir/e2e.log"
e2e_status=${PIPESTATUS[0]}
[ "$e2e_status" -eq 0 ] || status=1
summary() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$log_dir/e2e.log" | tail -1; }
p=$(summary pass); f=$(summary fail); c=$(summary cancelled); s=$(summary skipped)
f=$(( ${f:-0} + ${c:-0} ))      # a failing before() hook reports its tests as cancelled
if [ "$e2e_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # setup failed before any summary
passed=$((passed + ${p:-0})); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))

echo "== load benchmark, smoke mode (a few hundred requests per scenario; never judged on speed)"
wait "$bench_pid"
bench_status=$?
grep -E '^(==|bench-smoke)|errors [1-9]|FAIL' "$log_dir/bench.log"
[ "$bench_status" -eq 0 ] || status=1
bp=$(sed -n 's/^bench-smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log_dir/bench.log" | tail -1)
bf=$(sed -n 's/^bench-smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log_dir/bench.log" | tail -1)
if [ "$bench_status" -ne 0 ] && [ "${bf:-0}" -eq 0 ]; then bf=1; fi   # setup failed before its summary
passed=$((passed + ${bp:-0})); failed=$((failed + ${bf:-0}))

# The failing tests' names again, next to the closing line, where a reader of the end of the log sees them.
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "== failed"
  grep -hE '^\s+Failed [A-Za-z]' "$log_dir"/dotnet*.log 2>/dev/null | sed 's/^ */dotnet: /' | sort -u
  grep -hE '^\s*✖ ' "$log_dir/e2e.log" 2>/dev/null | sed 's/^ */e2e: /' | sort -u | head -20
  grep -hE 'FAIL|errors [1-9]' "$log_dir/bench.log" 2>/dev/null | sed 's/^/bench: /' | head -20
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ $((passed + failed)) -eq 0 ]; then echo "no test ran"; exit 1; fi
exit 0
