#!/bin/sh
# test-yun-dev-serve.sh YUN-DEV: `yun-dev serve` as a developer runs it, on
# an app `yun-dev new` made: the URL first, the page with the live-reload
# script, traversal and symbolic links refused, a change reaching the
# EventSource, and an invalid app refused with exit status 1.
set -u
y=$1
work=$(mktemp -d)
pid=""
events_pid=""
cleanup () {
  [ -n "$events_pid" ] && kill "$events_pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail () { echo "not ok: $*"; exit 1; }

# wait_for FILE PATTERN: until grep finds PATTERN in FILE (at most ~20 s).
wait_for () {
  for _ in $(seq 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

status () { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$1"; }

"$y" new my-app "$work/app" > /dev/null || fail "yun-dev new"
echo "secret outside the app" > "$work/secret.txt"
ln -s "$work/secret.txt" "$work/app/link.txt"
ln -s "$work" "$work/app/link-dir"

"$y" serve "$work/app" --port 0 > "$work/out" 2> "$work/err" &
pid=$!
wait_for "$work/out" "^http" || fail "no URL printed: $(cat "$work/err")"
url=$(head -n 1 "$work/out")
case "$url" in
  http://127.0.0.1:*/) ;;
  *) fail "the first line is not the URL: $url" ;;
esac
echo "ok - serves $url"

curl -sf "$url" > "$work/index.html" || fail "GET /"
grep -q '<script src="/_yun/live-reload.js"></script>' "$work/index.html" || fail "no live-reload script"
grep -q '<title>my-app</title>' "$work/index.html" || fail "not the app's page"
curl -sf "${url}app.js" | grep -q "yun-shim" || fail "GET /app.js"
curl -sf "${url}app.js" | grep -q "live-reload" && fail "script added to a JavaScript file"
curl -sf "${url}_yun/yun-shim.js" | grep -q "navigator.yun" || fail "GET /_yun/yun-shim.js"
echo "ok - index.html with the live-reload script, the shim"

for target in "../secret.txt" "%2e%2e/secret.txt" "link.txt" "link-dir/secret.txt" "../../../../etc/passwd" "%2e%2e%2fsecret.txt"; do
  code=$(status "$url$target")
  case "$code" in
    400|404) ;;
    *) fail "$target answered $code" ;;
  esac
done
echo "ok - traversal and symbolic links refused"

curl -sN "${url}_yun/live-reload" > "$work/events" &
events_pid=$!
wait_for "$work/events" "^event: hello" || fail "no hello event"
touch "$work/app/style.css"
wait_for "$work/events" "^event: reload" || fail "no reload event after touching style.css"
grep -q '^data: {"paths":\["style.css"\]}' "$work/events" || fail "reload names $(grep data: "$work/events")"
echo "ok - touching a file sends a reload event"

kill "$pid"; wait "$pid"; code=$?; pid=""
[ $code -eq 0 ] || fail "stopped with status $code"
echo "ok - stops cleanly on SIGTERM"

mkdir "$work/bad"
echo '{"name": 5, "start_url": "./"}' > "$work/bad/manifest.json"
"$y" serve "$work/bad" --port 0 > "$work/bad.out" 2> "$work/bad.err"
[ $? -eq 1 ] || fail "invalid manifest: not exit status 1"
grep -q "is not a valid app" "$work/bad.err" || fail "no message: $(cat "$work/bad.err")"
grep -q "name" "$work/bad.err" || fail "the message does not name the member: $(cat "$work/bad.err")"
[ -s "$work/bad.out" ] && fail "an invalid app printed a URL"
mkdir "$work/empty"
"$y" serve "$work/empty" --port 0 > /dev/null 2>&1
[ $? -eq 1 ] || fail "a folder without manifest.json: not exit status 1"
"$y" serve "$work/nothing" --port 0 > /dev/null 2>&1
[ $? -eq 1 ] || fail "a missing folder: not exit status 1"
"$y" serve > /dev/null 2>&1
[ $? -eq 2 ] || fail "serve without a folder: not exit status 2"
"$y" serve "$work/app" --port 99999 > /dev/null 2>&1
[ $? -eq 2 ] || fail "a bad port: not exit status 2"
"$y" validate "$work/app" --port 1 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--port with validate: not exit status 2"
echo "ok - invalid apps and usage refused"
