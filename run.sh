#!/bin/sh
# run.sh: install what is missing, build, start yun-cloud on 127.0.0.1 with
# its data in .yun/cloud, and open yun-shell on it with the hello app.
# Options: --app ID (default hello), --size WxH, --port N (default: a free one).
set -eu
cd "$(dirname "$0")"
top=$(pwd)

app=hello
size=360x760
port=0
while [ $# -gt 0 ]; do
  case "$1" in
    --app) app=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1 (try --app ID, --size WxH, --port N)" >&2; exit 2 ;;
  esac
done

tools/install-deps.sh
tools/build.sh build

export YUN_EXTENSION_DIR="$top/build/bridge"
export YUN_WEBAPPS_DIR="$top/webapps"
mkdir -p .yun

build/cloud/yun-cloud --port "$port" --data .yun/cloud > .yun/cloud.out 2> .yun/cloud.log &
cloud_pid=$!
trap 'kill $cloud_pid 2>/dev/null || true' EXIT INT TERM
url=""
for _ in $(seq 100); do
  url=$(head -n 1 .yun/cloud.out 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 $cloud_pid 2>/dev/null || { cat .yun/cloud.log >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "run.sh: yun-cloud did not start" >&2; exit 1; }
echo "yun-cloud is serving $url (data in .yun/cloud, log in .yun/cloud.log)"

shell="build/shell/yun-shell --cloud $url --profile .yun/profile --app $app --size $size"
if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
  $shell
else
  echo "No display here (neither WAYLAND_DISPLAY nor DISPLAY is set), so yun-shell cannot open a window."
  echo "Taking a screenshot of it under Xvfb instead: .yun/yun-shell.png"
  xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
    $shell --screenshot .yun/yun-shell.png 2> .yun/shell.log || { cat .yun/shell.log >&2; exit 1; }
fi
