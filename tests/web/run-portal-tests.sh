#!/bin/sh
# run-portal-tests.sh YUN-CLOUD: the web portal /my in Debian's Chromium,
# driven by playwright-core, against a real yun-cloud on a free loopback
# port with a fresh data folder.  Exits 77 (skipped) when node,
# playwright-core (npm ci in tests/web) or Chromium is missing.  Nothing
# here ever downloads a browser.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cloud=$1
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

# The portal is compiled into yun-cloud; the web apps folder only has to
# exist.
mkdir -p "$work/webapps"
"$cloud" --port 0 --data "$work/data" --webapps "$work/webapps" > "$work/cloud.out" 2> "$work/cloud.err" &
pid=$!
url=""
for _ in $(seq 200); do
  url=$(head -n 1 "$work/cloud.out" 2>/dev/null)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "yun-cloud did not start:" >&2
  cat "$work/cloud.err" >&2
  exit 1
fi

# Never a browser download, whatever the environment says.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export YUN_CLOUD_URL="$url" YUN_CHROMIUM="$chromium"
# Chromium wants a writable home for its crash reports and caches.
export HOME="$work/home"
mkdir -p "$HOME"
node --test --test-concurrency=1 --test-reporter=tap "$here/portal.test.mjs"
status=$?
if [ $status -ne 0 ]; then
  echo "# yun-cloud said:"
  sed 's/^/# /' "$work/cloud.err"
fi
exit $status
