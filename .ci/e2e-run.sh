#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server 4.139.1 = VS Code 1.139.1 on Node 24, Debian chromium,
# playwright-core): tier 1 the extension-host suite, tier 2 Playwright scenarios against the .vsix.
# Every step is time-bounded; each tier runs in its own process group, killed on exit.
# The last line is `N passed, N failed`; the exit status is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -- -"$pid" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! timeout 900 bash .ci/e2e-setup.sh; then
  echo "e2e setup failed"; echo "0 passed, 1 failed"; exit 1
fi
if ! timeout 300 npm run build >/dev/null; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

PASSED=0
FAILED=0
tier() { # name, timeout seconds, script
  local name=$1 limit=$2 script=$3 log=artifacts/e2e-$1.log
  echo "== $name"
  # own process group (killed on exit); tee inside it so the log is complete when wait returns
  setsid bash -c 'set -o pipefail; timeout "$1" node --import tsx "$2" 2>&1 | tee "$3"' _ "$limit" "$script" "$log" &
  local pid=$!
  PIDS+=("$pid")
  wait "$pid"
  local rc=$?
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [[ -n $line ]]; then
    PASSED=$((PASSED + $(cut -d' ' -f1 <<<"$line")))
    FAILED=$((FAILED + $(cut -d' ' -f3 <<<"$line")))
    [[ $rc -ne 0 && $(cut -d' ' -f3 <<<"$line") -eq 0 ]] && FAILED=$((FAILED + 1))
  else
    echo "$name: no result line (exit $rc)"; FAILED=$((FAILED + 1))
  fi
}
tier ext-host 300 test/e2e/run-ext-tests.ts
tier ui 420 test/e2e/run-ui-tests.ts
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
