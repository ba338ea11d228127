#!/bin/sh
# run-web-tests.sh YUN-DEV: the web suite.  Makes an app with `yun-dev new`,
# serves it with `yun-dev serve` on a free loopback port, and runs the
# Playwright tests (shim.test.mjs) in Debian's Chromium against it.
# Exits 77 (skipped) when node, playwright-core (npm ci in tests/web) or
# Chromium is missing.  Nothing here ever downloads a browser.
set -u
here=$(cd "$(dirname "$0")" && pwd)
y=$1
chromium=${YUN_CHROMIUM:-/usr/bin/chromium}

if ! command -v node > /dev/null 2>&1; then
  echo "SKIP: no node; apt-get install nodejs"
  exit 77
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  echo "SKIP: no playwright-core; run: npm ci --ignore-scripts --prefix tests/web"
  exit 77
fi
if [ ! -x "$chromium" ]; then
  echo "SKIP: no $chromium; apt-get install chromium"
  exit 77
fi

work=$(mktemp -d)
pid=""
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$y" new web-app "$work/web-app" > /dev/null || exit 1
"$y" serve "$work/web-app" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
pid=$!
url=""
for _ in $(seq 200); do
  url=$(head -n 1 "$work/serve.out" 2>/dev/null)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "yun-dev serve did not start:" >&2
  cat "$work/serve.err" >&2
  exit 1
fi

# Never a browser download, whatever the environment says.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export YUN_WEB_URL="$url" YUN_WEB_APP_DIR="$work/web-app" YUN_CHROMIUM="$chromium"
# Chromium wants a writable home for its crash reports and caches.
export HOME="$work/home"
mkdir -p "$HOME"
node --test --test-reporter=tap "$here/shim.test.mjs"
status=$?
if [ $status -ne 0 ]; then
  echo "# yun-dev serve said:"
  sed 's/^/# /' "$work/serve.err"
fi
exit $status
