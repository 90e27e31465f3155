#!/usr/bin/env bash
# EmpowerBot's one test command: restores, builds and runs every test suite, then prints one closing line
#   tests: N passed, N failed, N skipped
# and exits non-zero on any failure or when no test ran. Needs only the .NET SDK; installs anything else it uses.
set -uo pipefail
cd "$(dirname "$0")"

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
passed=0 failed=0 skipped=0 status=0

# Adds the counts of a `dotnet test` summary ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 …").
count_dotnet() {
  local line
  while IFS= read -r line; do
    local f p s
    f=$(sed -n 's/.*Failed: *\([0-9]*\).*/\1/p' <<<"$line")
    p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line")
    s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line")
    failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
  done < <(grep -E '^(Passed|Failed)! +- +Failed:' "$1")
}

echo "== restore and build"
if ! dotnet build EmpowerBot.sln -c Release --nologo -v quiet >"$log_dir/build.log" 2>&1; then
  grep -E 'error' "$log_dir/build.log" | sort -u | head -40
  echo "build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== .NET tests"
dotnet test EmpowerBot.sln -c Release --no-build --nologo 2>&1 | tee "$log_dir/dotnet.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_dotnet "$log_dir/dotnet.log"

total=$((passed + failed))
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$total" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit 0
