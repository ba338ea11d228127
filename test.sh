#!/bin/sh
# test.sh: install what is missing, build, and run every test suite:
#   build/       (gcc): unit, lint and e2e (real shell under Xvfb)
#   build-asan/  (clang, ASan+UBSan): unit, lint and fuzz-smoke
# Ends with one line "N passed, N failed[, N skipped]"; exits 1 on failure.
# CI=true turns compiler warnings into errors.
set -u
cd "$(dirname "$0")"

werror=false
[ "${CI:-}" = true ] && werror=true

tools/install-deps.sh || exit 1

status=0
logs=""

# run_suites DIR NAME [MESON TEST OPTION...]: results go to DIR/meson-logs/NAME.json;
# $runner, when set, is the command meson test runs under.
runner=""
run_suites () {
  dir=$1
  name=$2
  shift 2
  rm -f "$dir/meson-logs/$name.json"
  logs="$logs $dir/meson-logs/$name.json"
  $runner meson test -C "$dir" --no-rebuild --print-errorlogs --logbase "$name" "$@" || status=1
}

# Node packages for the web (Playwright on Debian's chromium) and interop
# (PouchDB, pouchdb-server) suites: from the npm registry only, no install
# scripts, no browser downloads.
# Without npm those suites skip.
for dir in tests/web tests/interop; do
  command -v npm > /dev/null || { echo "test.sh: no npm; the web and interop tests skip" >&2; break; }
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund \
    --loglevel=error --prefix "$dir" > /dev/null ||
    { echo "test.sh: npm ci in $dir failed" >&2; status=1; }
done

if tools/build.sh build -Dwerror=$werror; then
  run_suites build headless --suite unit --suite lint --suite web
  # e2e tests need a display and a session bus; dbus-run-session gives the
  # shell one, and each test also starts a private bus of its own.
  runner="xvfb-run -a dbus-run-session --"
  run_suites build e2e --suite e2e
  runner=""
else
  echo "test.sh: the build in build/ failed" >&2
  status=1
fi

if CC=clang tools/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false \
     -Dfuzzing=true -De2e=false -Dwerror=$werror; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp":print_suppressions=0 \
    run_suites build-asan sanitizers --suite unit --suite lint --suite fuzz-smoke
else
  echo "test.sh: the sanitizer build in build-asan/ failed" >&2
  status=1
fi

# One line for people and CI: every test program of every run counted.
# shellcheck disable=SC2086
python3 - $logs <<'PY' || status=1
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
PY
exit $status
