#!/bin/sh
# pouchdb-with-cloud.sh YUN_CLOUD WEBAPPS_DIR: starts yun-cloud on a free
# loopback port with a fresh data folder and runs pouchdb-with-cloud.mjs
# (real PouchDB from npm, in Node) against it.  Needs the node modules of
# this folder: npm ci --ignore-scripts --prefix tests/interop
set -u
cloud=$1
webapps=$2
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v node > /dev/null 2>&1; then
  echo "pouchdb-with-cloud: node is not installed" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/pouchdb" ] || [ ! -d "$here/node_modules/pouchdb-adapter-memory" ]; then
  echo "pouchdb-with-cloud: run 'npm ci --ignore-scripts --prefix tests/interop' first" >&2
  exit 1
fi

data=$(mktemp -d)
out="$data/url"
"$cloud" --port 0 --data "$data/cloud" --webapps "$webapps" > "$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT

url=""
for _ in $(seq 100); do
  url=$(head -n 1 "$out")
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "pouchdb-with-cloud: yun-cloud did not start" >&2
  exit 1
fi

node "$here/pouchdb-with-cloud.mjs" "$url"
